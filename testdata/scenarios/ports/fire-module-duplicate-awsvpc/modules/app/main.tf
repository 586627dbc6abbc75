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

variable "port" {
  type = number
}

variable "sidecars" {
  type = map(object({
    image = string
    port  = optional(number, 8080)
  }))
  default = {}
}

locals {
  app = {
    name         = var.name
    image        = var.image
    essential    = true
    portMappings = [{ containerPort = var.port, protocol = "tcp" }]
  }

  sidecars = [
    for name, s in var.sidecars : {
      name         = name
      image        = s.image
      essential    = true
      portMappings = [{ containerPort = s.port, protocol = "tcp" }]
      environment  = [{ name = "UPSTREAM", value = "http://localhost:${var.port}" }]
    }
  ]
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "512"
  memory                   = "1024"

  container_definitions = jsonencode(concat([local.app], local.sidecars))
}
