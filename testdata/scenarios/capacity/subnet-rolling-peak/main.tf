terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "ap-northeast-1"
}

variable "workers" {
  type    = number
  default = 20
}

locals {
  # Two /27s: 27 usable addresses each.
  subnets = {
    "ap-northeast-1a" = "10.5.0.0/27"
    "ap-northeast-1c" = "10.5.0.32/27"
  }
}

resource "aws_vpc" "queue" {
  cidr_block = "10.5.0.0/24"
}

resource "aws_subnet" "queue" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.queue.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_ecs_cluster" "queue" {
  name = "queue-workers"
}

resource "aws_ecs_cluster_capacity_providers" "queue" {
  cluster_name       = aws_ecs_cluster.queue.name
  capacity_providers = ["FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "queue-worker"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name      = "worker"
    image     = "public.ecr.aws/docker/library/ruby:3.3"
    essential = true
    command   = ["bundle", "exec", "sidekiq"]
  }])
}

resource "aws_ecs_service" "worker" {
  name            = "queue-worker"
  cluster         = aws_ecs_cluster.queue.id
  task_definition = aws_ecs_task_definition.worker.arn
  desired_count   = var.workers

  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }

  network_configuration {
    subnets = [for s in aws_subnet.queue : s.id]
  }

  depends_on = [aws_ecs_cluster_capacity_providers.queue]
}
