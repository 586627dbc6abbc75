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

variable "strategy" {
  type = list(object({
    provider = string
    weight   = number
    base     = number
  }))
}

variable "subnet_ids" {
  type = list(string)
}

# requires_compatibilities is left out: the module was written for an EC2 cluster.
resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "awsvpc"
  cpu          = "512"
  memory       = "1024"

  container_definitions = jsonencode([
    { name = var.name, image = var.image, essential = true }
  ])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = 5

  dynamic "capacity_provider_strategy" {
    for_each = var.strategy
    content {
      capacity_provider = capacity_provider_strategy.value.provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  network_configuration {
    subnets = var.subnet_ids
  }
}
