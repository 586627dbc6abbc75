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

# The VPC and its subnets belong to the network team's state: this plan reads them, so
# their route tables are out of sight.
data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.shared.id]
  }
  tags = { Tier = "private" }
}

resource "aws_ecs_cluster" "reports" {
  name = "reports"
}

resource "aws_ecs_task_definition" "reports" {
  family                   = "reports"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name      = "reports"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/reports:7"
    essential = true
  }])
}

resource "aws_ecs_service" "reports" {
  name            = "reports"
  cluster         = aws_ecs_cluster.reports.id
  task_definition = aws_ecs_task_definition.reports.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets = data.aws_subnets.private.ids
  }
}
