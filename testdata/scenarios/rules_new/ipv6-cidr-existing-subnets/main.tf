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

# Two tiers of an existing VPC: the "edge" subnets are dual-stack, the "batch" subnets are
# IPv4-only (the data source reads their ipv6_cidr_block as ""). dualStackIPv6 is not
# enabled in this account.
data "aws_subnets" "edge" {
  tags = { Tier = "edge" }
}

data "aws_subnets" "batch" {
  tags = { Tier = "batch" }
}

data "aws_subnet" "edge" {
  for_each = toset(data.aws_subnets.edge.ids)
  id       = each.value
}

data "aws_subnet" "batch" {
  for_each = toset(data.aws_subnets.batch.ids)
  id       = each.value
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name      = "app"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1"
    essential = true
  }])
}

resource "aws_ecs_service" "edge" {
  name            = "edge"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = [for s in data.aws_subnet.edge : s.id]
  }
}

resource "aws_ecs_service" "batch" {
  name            = "batch"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = [for s in data.aws_subnet.batch : s.id]
  }
}
