variable "create" {
  type    = bool
  default = true
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

variable "container_port" {
  type = number
}

variable "host_port" {
  description = "Host port in bridge mode; 0 for a dynamic port."
  type        = number
  default     = 0
}

variable "desired_count" {
  type = number
}

variable "memory" {
  type    = number
  default = 256
}

locals {
  port_mapping = {
    containerPort = var.container_port
    hostPort      = var.host_port
    protocol      = "tcp"
  }
  containers = [{
    name         = var.name
    image        = var.image
    memory       = var.memory
    essential    = true
    portMappings = [local.port_mapping]
  }]
}

resource "aws_ecs_task_definition" "this" {
  count                 = var.create ? 1 : 0
  family                = var.name
  network_mode          = "bridge"
  container_definitions = jsonencode(local.containers)
}

resource "aws_ecs_service" "this" {
  count           = var.create ? 1 : 0
  name            = var.name
  cluster         = var.cluster_id
  task_definition = aws_ecs_task_definition.this[0].arn
  desired_count   = var.desired_count
  launch_type     = "EC2"

  ordered_placement_strategy {
    type  = "spread"
    field = "instanceId"
  }
}
