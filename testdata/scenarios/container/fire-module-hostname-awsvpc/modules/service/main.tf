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

variable "network_mode" {
  type    = string
  default = "bridge"
}

variable "port" {
  type = number
}

variable "environment" {
  type    = map(string)
  default = {}
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  network_mode             = var.network_mode
  requires_compatibilities = ["EC2"]
  memory                   = "1024"

  container_definitions = jsonencode([
    {
      name      = var.name
      image     = var.image
      essential = true
      # Makes log lines and metrics carry the service name (written for bridge mode).
      hostname     = var.name
      portMappings = [{ containerPort = var.port }]
      environment  = [for k, v in var.environment : { name = k, value = v }]
    }
  ])
}
