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

variable "image" {
  type = string
}

variable "container_port" {
  type    = number
  default = 0
}

variable "extra_port_mappings" {
  type        = any
  default     = []
  description = "Additional portMappings entries, passed through as written."
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "bridge"
  memory       = "256"

  container_definitions = jsonencode([
    {
      name      = var.name
      image     = var.image
      essential = true
      portMappings = concat(
        [{ containerPort = var.container_port, hostPort = 0, protocol = "tcp" }],
        var.extra_port_mappings,
      )
    }
  ])
}
