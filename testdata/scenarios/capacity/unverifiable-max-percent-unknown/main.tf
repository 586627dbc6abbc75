terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "surge_percent" {
  description = "Deployment surge approved for the release window."
  type        = number
  default     = 150
}

# The release tooling records the approved surge as a resource, so the service reads it
# back: on create deployment_maximum_percent is known only after apply.
resource "terraform_data" "release_window" {
  input = {
    surge_percent = var.surge_percent
  }
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

resource "aws_ecs_cluster" "release" {
  name = "release"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "release-api"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "512"
  memory                   = "1024"
  container_definitions = jsonencode([{
    name         = "api"
    image        = "public.ecr.aws/docker/library/openjdk:21-slim"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "api" {
  name                               = "release-api"
  cluster                            = aws_ecs_cluster.release.id
  task_definition                    = aws_ecs_task_definition.api.arn
  desired_count                      = 3
  launch_type                        = "FARGATE"
  deployment_maximum_percent         = terraform_data.release_window.output.surge_percent
  deployment_minimum_healthy_percent = 100

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    assign_public_ip = true
  }
}
