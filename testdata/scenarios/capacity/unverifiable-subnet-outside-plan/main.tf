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

variable "subnet_ids" {
  description = "Private subnets of the landing-zone VPC (managed elsewhere)."
  type        = list(string)
  default     = ["subnet-07f1e2d3c4b5a6978", "subnet-0a9b8c7d6e5f43210"]
}

variable "security_group_id" {
  type    = string
  default = "sg-0123456789abcdef0"
}

resource "aws_ecs_cluster" "apps" {
  name = "apps"
}

resource "aws_ecs_task_definition" "notifier" {
  family                   = "notifier"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name      = "notifier"
    image     = "public.ecr.aws/docker/library/node:20-slim"
    essential = true
  }])
}

resource "aws_ecs_service" "notifier" {
  name            = "notifier"
  cluster         = aws_ecs_cluster.apps.id
  task_definition = aws_ecs_task_definition.notifier.arn
  desired_count   = 6
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = var.subnet_ids
    security_groups = [var.security_group_id]
  }
}
