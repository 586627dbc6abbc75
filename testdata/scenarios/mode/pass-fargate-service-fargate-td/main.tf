terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-2"
}

data "aws_vpc" "shared" {
  tags = {
    Name = "shared-services"
  }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.shared.id]
  }

  tags = {
    Tier = "private"
  }
}

resource "aws_ecs_cluster" "notifications" {
  name = "notifications"
}

resource "aws_ecs_cluster_capacity_providers" "notifications" {
  cluster_name       = aws_ecs_cluster.notifications.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
    base              = 1
  }
}

resource "aws_security_group" "mailer" {
  name   = "mailer"
  vpc_id = data.aws_vpc.shared.id

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "mailer" {
  family                   = "mailer"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name      = "mailer"
      image     = "123456789012.dkr.ecr.us-east-2.amazonaws.com/mailer:2.2.0"
      essential = true
      environment = [
        { name = "SMTP_HOST", value = "email-smtp.us-east-2.amazonaws.com" }
      ]
    }
  ])
}

resource "aws_ecs_service" "mailer" {
  name            = "mailer"
  cluster         = aws_ecs_cluster.notifications.id
  task_definition = aws_ecs_task_definition.mailer.arn
  desired_count   = 3

  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
    base              = 1
  }

  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 3
  }

  network_configuration {
    subnets         = data.aws_subnets.private.ids
    security_groups = [aws_security_group.mailer.id]
  }
}
