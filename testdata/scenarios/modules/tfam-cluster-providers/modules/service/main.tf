variable "create" {
  type    = bool
  default = true
}

variable "name" { type = string }
variable "cluster_arn" { type = string }
variable "subnet_ids" { type = list(string) }
variable "container_image" { type = string }
variable "container_port" { type = number }
variable "desired_count" { type = number }

variable "capacity_provider_strategy" {
  type    = map(object({ capacity_provider = string, weight = number, base = optional(number) }))
  default = {}
}

variable "deployment_maximum_percent" {
  type    = number
  default = 200
}

locals {
  task = {
    family = var.name
    containers = [{
      name         = var.name
      image        = var.container_image
      cpu          = 256
      memory       = 512
      essential    = true
      portMappings = [{ containerPort = var.container_port, hostPort = var.container_port, protocol = "tcp" }]
    }]
  }
}

resource "aws_ecs_task_definition" "this" {
  count = var.create ? 1 : 0

  family                   = local.task.family
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  container_definitions    = jsonencode(local.task.containers)
}

resource "aws_ecs_service" "this" {
  count = var.create ? 1 : 0

  name                       = var.name
  cluster                    = var.cluster_arn
  task_definition            = aws_ecs_task_definition.this[0].arn
  desired_count              = var.desired_count
  deployment_maximum_percent = var.deployment_maximum_percent

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy
    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = try(capacity_provider_strategy.value.base, null)
    }
  }

  network_configuration {
    subnets = var.subnet_ids
  }
}
