variable "name" {
  type = string
}

variable "cluster_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "security_group_ids" {
  type = list(string)
}

variable "image" {
  type = string
}

variable "port" {
  type = number
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "service_discovery" {
  description = "Register in this Cloud Map service (null: no service discovery)."
  type = object({
    registry_arn = string
    srv          = optional(bool, false)
  })
  default = null
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name         = var.name
    image        = var.image
    essential    = true
    portMappings = [{ containerPort = var.port, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = var.subnet_ids
    security_groups = var.security_group_ids
  }

  dynamic "service_registries" {
    for_each = var.service_discovery[*]
    content {
      registry_arn   = service_registries.value.registry_arn
      container_name = service_registries.value.srv ? var.name : null
      container_port = service_registries.value.srv ? var.port : null
    }
  }
}
