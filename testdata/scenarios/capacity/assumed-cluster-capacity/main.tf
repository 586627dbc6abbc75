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

# An application stack that deploys onto the platform team's shared cluster: the cluster,
# its autoscaling group and the VPC live in the platform stack, outside this plan.
variable "cluster_name" {
  type    = string
  default = "shared-prod"
}

variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

data "aws_ecs_cluster" "shared" {
  cluster_name = var.cluster_name
}

resource "aws_ecs_task_definition" "billing" {
  family       = "billing-api"
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "512"
  container_definitions = jsonencode([{
    name         = "billing"
    image        = "public.ecr.aws/docker/library/python:3.12-slim"
    essential    = true
    portMappings = [{ containerPort = 8000 }]
  }])
}

resource "aws_ecs_service" "billing" {
  name                               = "billing-api"
  cluster                            = data.aws_ecs_cluster.shared.arn
  task_definition                    = aws_ecs_task_definition.billing.arn
  desired_count                      = 10
  launch_type                        = "EC2"
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 50

  network_configuration {
    subnets = var.private_subnet_ids
  }
}
