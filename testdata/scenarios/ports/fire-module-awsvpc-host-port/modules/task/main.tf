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

variable "cpu" {
  type = number
}

variable "memory" {
  type = number
}

variable "port_mappings" {
  type        = any
  description = "List of {containerPort, hostPort?, protocol?}."
  default     = []
}

locals {
  port_mappings = [
    for pm in var.port_mappings : merge(
      { containerPort = pm.containerPort, protocol = try(pm.protocol, "tcp") },
      try({ hostPort = pm.hostPort }, {})
    )
  ]
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = var.cpu
  memory                   = var.memory

  container_definitions = jsonencode([
    {
      name         = var.name
      image        = var.image
      essential    = true
      portMappings = local.port_mappings
    }
  ])
}
