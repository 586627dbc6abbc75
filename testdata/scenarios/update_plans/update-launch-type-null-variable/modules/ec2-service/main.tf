variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "capacity_provider" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "desired_count" {
  type = number
}

variable "launch_type" {
  description = "Set only when no capacity provider is used; ECS rejects both together."
  type        = string
  default     = null
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["EC2"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name         = var.name
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/${var.name}:2.3.0"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = var.cluster_arn
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.desired_count
  launch_type                        = var.launch_type
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 50

  capacity_provider_strategy {
    capacity_provider = var.capacity_provider
    weight            = 1
  }

  network_configuration {
    subnets = var.subnet_ids
  }
}
