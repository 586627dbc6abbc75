variable "name" {
  type = string
}

variable "cluster" {
  type = string
}

variable "network_mode" {
  type    = string
  default = "bridge"
}

variable "container" {
  type = object({
    image  = string
    port   = number
    memory = optional(number, 256)
  })
}

variable "replicas" {
  type    = number
  default = 2
}

variable "subnet_ids" {
  type    = list(string)
  default = []
}

locals {
  awsvpc = var.network_mode == "awsvpc"
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = var.network_mode

  container_definitions = jsonencode([{
    name              = var.name
    image             = var.container.image
    memoryReservation = var.container.memory
    essential         = true
    portMappings = [{
      containerPort = var.container.port
      hostPort      = local.awsvpc ? var.container.port : 0
    }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.replicas
  launch_type     = "EC2"

  dynamic "network_configuration" {
    for_each = local.awsvpc ? [var.subnet_ids] : []
    content {
      subnets = network_configuration.value
    }
  }

  ordered_placement_strategy {
    type  = "binpack"
    field = "memory"
  }
}
