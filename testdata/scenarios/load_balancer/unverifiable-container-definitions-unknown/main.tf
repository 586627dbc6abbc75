terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "environment" {
  type    = string
  default = "prod"
}

locals {
  name = "accounts-${var.environment}"
}

data "aws_vpc" "this" {
  tags = {
    Name = var.environment
  }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.this.id]
  }
  tags = {
    Tier = "private"
  }
}

resource "aws_ecr_repository" "accounts" {
  name = "accounts"
}

resource "aws_secretsmanager_secret" "db_url" {
  name = "${local.name}/database-url"
}

resource "aws_cloudwatch_log_group" "accounts" {
  name              = "/ecs/${local.name}"
  retention_in_days = 90
}

resource "aws_lb_target_group" "accounts" {
  name        = local.name
  port        = 4000
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = data.aws_vpc.this.id
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

resource "aws_ecs_task_definition" "accounts" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"

  container_definitions = templatefile("${path.module}/containers.json.tftpl", {
    image     = "${aws_ecr_repository.accounts.repository_url}:v41"
    db_secret = aws_secretsmanager_secret.db_url.arn
    log_group = aws_cloudwatch_log_group.accounts.name
    region    = "eu-west-1"
    listen_on = 4000
  })
}

resource "aws_ecs_service" "accounts" {
  name            = local.name
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.accounts.arn
  desired_count   = 3
  launch_type     = "FARGATE"

  network_configuration {
    subnets = data.aws_subnets.private.ids
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.accounts.arn
    container_name   = "accounts"
    container_port   = 4000
  }
}
