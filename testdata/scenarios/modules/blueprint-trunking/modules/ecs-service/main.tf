variable "name" { type = string }
variable "ecs_cluster_name" { type = string }
variable "vpc_id" { type = string }
variable "subnet_ids" { type = list(string) }
variable "desired_count" { type = number }
variable "container_image" { type = string }
variable "container_port" { type = number }
variable "capacity_provider" { type = string }

variable "cpu" {
  type    = string
  default = "256"
}

variable "memory" {
  type    = string
  default = "512"
}

resource "aws_security_group" "service" {
  name_prefix = "${var.name}-"
  vpc_id      = var.vpc_id
}

resource "aws_cloudwatch_log_group" "service" {
  name              = "/ecs/${var.ecs_cluster_name}/${var.name}"
  retention_in_days = 14
}

locals {
  container = {
    name      = var.name
    image     = var.container_image
    essential = true
    portMappings = [{
      name          = "${var.name}-http"
      containerPort = var.container_port
      protocol      = "tcp"
    }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.service.name
        "awslogs-region"        = "us-east-1"
        "awslogs-stream-prefix" = var.name
      }
    }
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  cpu                      = var.cpu
  memory                   = var.memory
  container_definitions    = jsonencode([local.container])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.ecs_cluster_name
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count

  capacity_provider_strategy {
    capacity_provider = var.capacity_provider
    weight            = 1
  }

  network_configuration {
    subnets         = var.subnet_ids
    security_groups = [aws_security_group.service.id]
  }

  service_connect_configuration {
    enabled = true
    service {
      port_name = "${var.name}-http"
      client_alias {
        port = var.container_port
      }
    }
  }
}

output "service_name" {
  value = aws_ecs_service.this.name
}
