terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "ca-central-1"
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

resource "aws_ecs_cluster" "batch" {
  name = "batch"
}

# Everything on this cluster runs on Spot by default.
resource "aws_ecs_cluster_capacity_providers" "batch" {
  cluster_name       = aws_ecs_cluster.batch.name
  capacity_providers = ["FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }
}

# awsvpc, but requires_compatibilities was never written, so ECS validates it for EC2 only.
resource "aws_ecs_task_definition" "etl" {
  family       = "nightly-etl"
  network_mode = "awsvpc"
  cpu          = "2048"
  memory       = "4096"

  container_definitions = jsonencode([
    {
      name      = "etl"
      image     = "123456789012.dkr.ecr.ca-central-1.amazonaws.com/etl:2025.1"
      essential = true
      command   = ["run", "--all"]
    }
  ])
}

resource "aws_ecs_service" "etl" {
  name            = "nightly-etl"
  cluster         = aws_ecs_cluster.batch.id
  task_definition = aws_ecs_task_definition.etl.arn
  desired_count   = 1

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    assign_public_ip = true
  }

  depends_on = [aws_ecs_cluster_capacity_providers.batch]
}
