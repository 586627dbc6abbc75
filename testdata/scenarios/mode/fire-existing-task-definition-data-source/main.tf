terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

# Registered by the application's own pipeline; Terraform only runs it.
data "aws_ecs_task_definition" "worker" {
  task_definition = "legacy-worker"
}

resource "aws_ecs_cluster" "serverless" {
  name = "serverless"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_ecs_service" "worker" {
  name            = "legacy-worker"
  cluster         = aws_ecs_cluster.serverless.id
  task_definition = data.aws_ecs_task_definition.worker.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = data.aws_subnets.default.ids
  }
}
