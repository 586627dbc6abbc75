terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-central-1"
}

# One Fargate service per deployment setting, to pin down the rounding:
# ECS may run floor(desired × maximum_percent / 100) tasks and must keep
# ceil(desired × minimum_healthy_percent / 100) of them healthy.
variable "services" {
  type = map(object({
    desired = number
    max     = number
    min     = number
  }))
  default = {
    single-150 = { desired = 1, max = 150, min = 100 } # floor(1.5) = 1: no room, none may stop
    single-200 = { desired = 1, max = 200, min = 100 } # can start a second task
    stop-first = { desired = 1, max = 100, min = 0 }   # can stop the task first
    three-133  = { desired = 3, max = 133, min = 100 } # floor(3.99) = 3
    three-134  = { desired = 3, max = 134, min = 100 } # floor(4.02) = 4
    min-66     = { desired = 3, max = 100, min = 66 }  # ceil(1.98) = 2 may stop one
    min-67     = { desired = 3, max = 100, min = 67 }  # ceil(2.01) = 3
    parked     = { desired = 0, max = 100, min = 100 } # scaled to zero: nothing to deploy
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.61.0.0/16"
}

resource "aws_subnet" "this" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone = "eu-central-1${["a", "b"][count.index]}"
}

resource "aws_ecs_cluster" "this" {
  name = "deploy-edges"
}

resource "aws_ecs_task_definition" "this" {
  family                   = "deploy-edges"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name         = "app"
    image        = "public.ecr.aws/docker/library/httpd:2.4-alpine"
    essential    = true
    portMappings = [{ containerPort = 80 }]
  }])
}

resource "aws_ecs_service" "svc" {
  for_each                           = var.services
  name                               = each.key
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this.arn
  launch_type                        = "FARGATE"
  desired_count                      = each.value.desired
  deployment_maximum_percent         = each.value.max
  deployment_minimum_healthy_percent = each.value.min

  deployment_configuration {
    strategy = "ROLLING"
  }

  network_configuration {
    subnets = aws_subnet.this[*].id
  }
}
