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

variable "network_mode" {
  type        = string
  description = "ECS network mode of the task."
}

variable "cpu" {
  type = number
}

variable "memory" {
  type = number
}

variable "image" {
  type = string
}

variable "port" {
  type = number
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.family
  network_mode             = var.network_mode
  requires_compatibilities = ["EC2"]
  cpu                      = tostring(var.cpu)
  memory                   = tostring(var.memory)

  container_definitions = jsonencode([
    {
      name      = "app"
      image     = var.image
      essential = true
      portMappings = [
        { containerPort = var.port, protocol = "tcp" }
      ]
    }
  ])
}

output "arn" {
  value = aws_ecs_task_definition.this.arn
}
