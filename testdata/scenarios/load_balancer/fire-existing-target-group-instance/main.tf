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

# The shared ALB and its target groups belong to the edge stack; the service looks its
# target group up by name. The group was created for the old EC2 fleet.
data "aws_lb_target_group" "api" {
  name = "${var.environment}-orders-api"
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_lb_target_group.api.vpc_id]
  }
  tags = {
    Tier = "private"
  }
}

resource "aws_ecs_cluster" "this" {
  name = "orders-${var.environment}"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "orders-api-${var.environment}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048

  container_definitions = jsonencode([{
    name         = "orders-api"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:12.1.0"
    essential    = true
    portMappings = [{ containerPort = data.aws_lb_target_group.api.port }]
  }])
}

resource "aws_ecs_service" "api" {
  name            = "orders-api"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 4
  launch_type     = "FARGATE"

  network_configuration {
    subnets = data.aws_subnets.private.ids
  }

  load_balancer {
    target_group_arn = data.aws_lb_target_group.api.arn
    container_name   = "orders-api"
    container_port   = data.aws_lb_target_group.api.port
  }
}
