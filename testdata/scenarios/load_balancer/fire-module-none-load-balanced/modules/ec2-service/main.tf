variable "name" {
  type = string
}

variable "cluster_id" {
  type = string
}

variable "network_mode" {
  type    = string
  default = "bridge"
}

variable "image" {
  type = string
}

variable "port" {
  type    = number
  default = 8080
}

variable "target_group_arn" {
  type = string
}

variable "desired_count" {
  type    = number
  default = 1
}

locals {
  # "none" has no ports to map.
  port_mappings = var.network_mode == "none" ? [] : [{ containerPort = var.port, hostPort = 0 }]
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = var.network_mode

  container_definitions = jsonencode([{
    name         = var.name
    image        = var.image
    memory       = 256
    essential    = true
    portMappings = local.port_mappings
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "EC2"

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = var.name
    container_port   = var.port
  }
}
