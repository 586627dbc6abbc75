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

variable "container_overrides" {
  type        = any
  default     = {}
  description = "Extra container definition parameters, merged over the defaults."
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    merge(
      {
        name      = var.name
        image     = var.image
        essential = true
      },
      var.container_overrides,
    )
  ])
}
