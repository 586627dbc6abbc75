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

# A Fargate API served on two ports, one target group per port, wired into the service
# through a dynamic load_balancer block: the plan's configuration section does not show
# which group a block names. Neither group sets target_type, so both are "instance" (the
# provider's default), whichever one each block names: awsvpc tasks register by IP, so
# CreateService rejects the service.
locals {
  listeners = { http = 8080, grpc = 9090 }
}

resource "aws_vpc" "main" {
  cidr_block = "10.42.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.42.${count.index}.0/24"
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_security_group" "api" {
  name   = "api"
  vpc_id = aws_vpc.main.id
}

resource "aws_lb_target_group" "api" {
  for_each = local.listeners
  name     = "api-${each.key}"
  port     = each.value
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_ecs_cluster" "main" {
  name = "api"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([{
    name         = "api"
    image        = "public.ecr.aws/example/api:3"
    essential    = true
    portMappings = [for p in values(local.listeners) : { containerPort = p }]
  }])
}

resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  dynamic "load_balancer" {
    for_each = local.listeners
    content {
      target_group_arn = aws_lb_target_group.api[load_balancer.key].arn
      container_name   = "api"
      container_port   = load_balancer.value
    }
  }

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.api.id]
  }
}
