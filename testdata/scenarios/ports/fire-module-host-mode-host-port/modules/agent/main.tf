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

variable "port_mappings" {
  type = list(object({
    containerPort = number
    hostPort      = optional(number)
    protocol      = optional(string, "tcp")
  }))
}

# Node agents run in host mode so they see the instance's network.
resource "aws_ecs_task_definition" "this" {
  family       = "agent-${var.name}"
  network_mode = "host"
  pid_mode     = "host"
  memory       = "256"

  container_definitions = jsonencode([
    {
      name         = var.name
      image        = var.image
      essential    = true
      portMappings = var.port_mappings
    }
  ])
}
