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

variable "tcp_ports" {
  type = list(number)
}

variable "cpu_units" {
  type = number
}

variable "memory_mib" {
  type = number
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "host"
  cpu          = tostring(var.cpu_units)
  memory       = tostring(var.memory_mib)

  container_definitions = jsonencode([
    {
      name         = var.name
      image        = var.image
      essential    = true
      portMappings = [for p in var.tcp_ports : { containerPort = p, hostPort = p, protocol = "tcp" }]
    }
  ])
}
