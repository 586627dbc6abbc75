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

# The shared ALB and its target groups live in the edge team's stack; its outputs are
# passed in by the pipeline.
variable "target_group_arn" {
  type    = string
  default = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/search-ui/6d0ecf831eec9f09"
}

variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0f0f0f0f0f0f0a001", "subnet-0f0f0f0f0f0f0a002"]
}

resource "aws_ecs_cluster" "search" {
  name = "search-ui"
}

resource "aws_ecs_task_definition" "ui" {
  family                   = "search-ui"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name         = "ui"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/search-ui:3.1.4"
    essential    = true
    portMappings = [{ containerPort = 3000 }]
  }])
}

resource "aws_ecs_service" "ui" {
  name            = "search-ui"
  cluster         = aws_ecs_cluster.search.id
  task_definition = aws_ecs_task_definition.ui.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = var.private_subnet_ids
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = "ui"
    container_port   = 3000
  }
}
