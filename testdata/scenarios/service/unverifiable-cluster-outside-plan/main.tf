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

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  # The EC2 cluster and its Auto Scaling groups are managed in the platform repository.
  cluster_arn = "arn:aws:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:cluster/platform-ec2"
}

data "aws_vpc" "platform" {
  default = false
  tags = {
    Name = "platform"
  }
}

data "aws_subnets" "services" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.platform.id]
  }
  tags = {
    Tier = "services"
  }
}

resource "aws_ecs_task_definition" "reporting" {
  family       = "reporting"
  network_mode = "awsvpc"
  memory       = 1024

  container_definitions = jsonencode([{
    name         = "reporting"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/reporting:2024.6.1"
    essential    = true
    portMappings = [{ containerPort = 8443 }]
  }])
}

resource "aws_ecs_service" "reporting" {
  name            = "reporting"
  cluster         = local.cluster_arn
  task_definition = aws_ecs_task_definition.reporting.arn
  desired_count   = 2
  launch_type     = "EC2"

  network_configuration {
    subnets = data.aws_subnets.services.ids
  }
}
