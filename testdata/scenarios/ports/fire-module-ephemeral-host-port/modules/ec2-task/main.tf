terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "family" {
  type = string
}

variable "image" {
  type = string
}

variable "port" {
  type = number
}

variable "host_port" {
  type    = number
  default = null
}

resource "aws_ecs_task_definition" "this" {
  family       = var.family
  network_mode = "bridge"
  memory       = "512"

  container_definitions = jsonencode([
    {
      name      = var.family
      image     = var.image
      essential = true
      # null host port: dynamic.
      portMappings = [{ containerPort = var.port, hostPort = var.host_port }]
    }
  ])
}
