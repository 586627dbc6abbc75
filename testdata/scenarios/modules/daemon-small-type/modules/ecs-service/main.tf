variable "create" {
  type    = bool
  default = true
}

variable "name" { type = string }
variable "cluster_arn" { type = string }
variable "subnet_ids" { type = list(string) }
variable "image" { type = string }

variable "scheduling_strategy" {
  type    = string
  default = "REPLICA"
}

variable "desired_count" {
  type    = number
  default = 1
}

variable "capacity_provider" {
  description = "Capacity provider for replica services (daemons run with launch_type EC2)."
  type        = string
  default     = null
}

variable "memory" {
  type    = number
  default = 256
}

locals {
  is_daemon = var.scheduling_strategy == "DAEMON"
}

resource "aws_ecs_task_definition" "this" {
  count        = var.create ? 1 : 0
  family       = var.name
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name      = var.name
    image     = var.image
    memory    = var.memory
    essential = true
  }])
}

resource "aws_ecs_service" "this" {
  count               = var.create ? 1 : 0
  name                = var.name
  cluster             = var.cluster_arn
  task_definition     = aws_ecs_task_definition.this[0].arn
  scheduling_strategy = var.scheduling_strategy
  desired_count       = local.is_daemon ? null : var.desired_count
  launch_type         = local.is_daemon ? "EC2" : null

  dynamic "capacity_provider_strategy" {
    for_each = !local.is_daemon && var.capacity_provider != null ? [var.capacity_provider] : []
    content {
      capacity_provider = capacity_provider_strategy.value
      weight            = 1
    }
  }

  network_configuration {
    subnets = var.subnet_ids
  }
}
