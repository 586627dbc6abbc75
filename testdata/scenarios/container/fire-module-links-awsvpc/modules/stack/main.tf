terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "name" {
  type = string
}

variable "network_mode" {
  type = string
}

variable "containers" {
  type        = any
  description = "Container definitions (ECS API objects); essential defaults to true."
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  network_mode             = var.network_mode
  requires_compatibilities = var.network_mode == "awsvpc" ? ["FARGATE"] : ["EC2"]
  cpu                      = "512"
  memory                   = "1024"

  container_definitions = jsonencode([for c in var.containers : merge({ essential = true }, c)])
}
