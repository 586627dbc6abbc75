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

variable "cluster_arn" {
  type = string
}

variable "image" {
  type = string
}

variable "launch_type" {
  type    = string
  default = "EC2"
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "subnet_ids" {
  type    = list(string)
  default = []
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "bridge"
  memory       = "1024"

  container_definitions = jsonencode([
    {
      name      = var.name
      image     = var.image
      essential = true
      environment = [
        { name = "QUEUE", value = "${var.name}-jobs" }
      ]
    }
  ])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = var.launch_type
}
