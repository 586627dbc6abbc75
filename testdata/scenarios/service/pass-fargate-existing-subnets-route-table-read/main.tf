# A Fargate service in two existing private subnets of the platform VPC, which another
# state manages. The subnets and the route table each one uses are read while planning
# (data "aws_subnet" and data "aws_route_table" by subnet_id): the table's routes send
# 0.0.0.0/0 to a NAT gateway, so the tasks reach their registry, and the plan shows it.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0b1b2b3b4b5b6ba01", "subnet-0b1b2b3b4b5b6bb01"]
}

data "aws_subnet" "private" {
  for_each = toset(var.subnet_ids)
  id       = each.value
}

data "aws_route_table" "private" {
  for_each  = toset(var.subnet_ids)
  subnet_id = each.value
}

resource "aws_ecs_cluster" "billing" {
  name = "billing"
}

resource "aws_ecs_task_definition" "invoicer" {
  family                   = "invoicer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"

  container_definitions = jsonencode([
    {
      name         = "invoicer"
      image        = "public.ecr.aws/docker/library/python:3.12-slim"
      essential    = true
      portMappings = [{ containerPort = 8080, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "invoicer" {
  name            = "invoicer"
  cluster         = aws_ecs_cluster.billing.id
  task_definition = aws_ecs_task_definition.invoicer.arn
  desired_count   = 3
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = [for s in data.aws_subnet.private : s.id]
    assign_public_ip = false
  }
}
