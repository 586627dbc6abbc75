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

variable "network_mode" {
  type        = string
  default     = null
  description = "awsvpc, bridge, host or none; null leaves the ECS default."
}

variable "requires_compatibilities" {
  type    = list(string)
  default = ["EC2"]
}

variable "cpu" {
  type    = number
  default = null
}

variable "memory" {
  type = number
}

variable "port" {
  type    = number
  default = null
}

locals {
  port_mappings = var.port == null ? [] : [{ containerPort = var.port, protocol = "tcp" }]
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.family
  network_mode             = var.network_mode
  requires_compatibilities = var.requires_compatibilities
  cpu                      = var.cpu == null ? null : tostring(var.cpu)
  memory                   = tostring(var.memory)

  container_definitions = jsonencode([
    {
      name         = var.family
      image        = var.image
      essential    = true
      portMappings = local.port_mappings
    }
  ])
}
