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

variable "cluster_id" {
  type = string
}

variable "image" {
  type = string
}

variable "ports" {
  type = map(object({
    container = number
    host      = optional(number, 0)
  }))
}

variable "desired_cnt" {
  type    = number
  default = 1
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "bridge"
  memory       = "512"

  container_definitions = jsonencode([
    {
      name         = var.name
      image        = var.image
      essential    = true
      portMappings = [for name, p in var.ports : { name = name, containerPort = p.container, hostPort = p.host }]
    }
  ])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_cnt
  launch_type     = "EC2"
}
