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

# Mid-migration from the old VPC to the new one: the service was given both subnet sets.
variable "vpc_names" {
  type    = list(string)
  default = ["legacy", "main"]
}

data "aws_vpc" "this" {
  for_each = toset(var.vpc_names)

  tags = {
    Name = each.key
  }
}

data "aws_subnets" "private" {
  for_each = data.aws_vpc.this

  filter {
    name   = "vpc-id"
    values = [each.value.id]
  }

  tags = {
    Tier = "private"
  }
}

locals {
  subnet_ids = flatten([for name in var.vpc_names : data.aws_subnets.private[name].ids])
}

resource "aws_ecs_cluster" "this" {
  name = "notifications"
}

resource "aws_ecs_task_definition" "sender" {
  family                   = "notification-sender"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name      = "sender"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/notification-sender:1.0.7"
    essential = true
  }])
}

resource "aws_ecs_service" "sender" {
  name            = "notification-sender"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.sender.arn
  desired_count   = 2

  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }

  network_configuration {
    subnets         = local.subnet_ids
    security_groups = ["sg-0b1c2d3e4f5a6b701"]
  }
}
