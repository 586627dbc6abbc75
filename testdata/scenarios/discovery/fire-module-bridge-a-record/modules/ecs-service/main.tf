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
  type = number
}

variable "desired_count" {
  type    = number
  default = 1
}

variable "discovery" {
  description = "Cloud Map service to register in (registry ARN), and for SRV records the container port."
  type = object({
    registry_arn   = string
    container_port = optional(number)
  })
  default = null
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = var.network_mode

  container_definitions = jsonencode([{
    name              = var.name
    image             = var.image
    memoryReservation = 256
    essential         = true
    portMappings      = [{ containerPort = var.port }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "EC2"

  dynamic "service_registries" {
    for_each = var.discovery == null ? [] : [var.discovery]
    content {
      registry_arn   = service_registries.value.registry_arn
      container_name = service_registries.value.container_port == null ? null : var.name
      container_port = service_registries.value.container_port
    }
  }
}
