terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

variable "app_name" {
  type    = string
  default = "ticketing"
}

variable "vpc_id" {
  type    = string
  default = "vpc-0123456789abcdef0"
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0123456789abcd001", "subnet-0123456789abcd002"]
}

resource "aws_lb_target_group" "app" {
  name        = var.app_name
  port        = 8000
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id
}

resource "aws_ecs_cluster" "app" {
  name = var.app_name
}

# The container was renamed from "ticketing" to "django" in the last refactor.
resource "aws_ecs_task_definition" "app" {
  family                   = var.app_name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([
    {
      name         = "django"
      image        = "123456789012.dkr.ecr.us-west-2.amazonaws.com/ticketing:2024.10.2"
      essential    = true
      portMappings = [{ containerPort = 8000 }]
      dependsOn    = [{ containerName = "migrate", condition = "SUCCESS" }]
    },
    {
      name      = "migrate"
      image     = "123456789012.dkr.ecr.us-west-2.amazonaws.com/ticketing:2024.10.2"
      essential = false
      command   = ["python", "manage.py", "migrate"]
    }
  ])
}

resource "aws_ecs_service" "app" {
  name            = var.app_name
  cluster         = aws_ecs_cluster.app.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = var.subnet_ids
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = var.app_name
    container_port   = 8000
  }
}
