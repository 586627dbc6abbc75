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

variable "container" {
  type        = any
  description = "One container definition (an object, as in the ECS API)."
}

resource "aws_ecs_task_definition" "this" {
  family       = var.family
  network_mode = "none"
  memory       = "1024"

  volume {
    name      = "uploads"
    host_path = "/mnt/uploads"
  }

  container_definitions = jsonencode([
    merge(var.container, {
      mountPoints = [{ sourceVolume = "uploads", containerPath = "/uploads", readOnly = true }]
    })
  ])
}
