variable "name" { type = string }
variable "cluster_arn" { type = string }
variable "desired_count" { type = number }
variable "subnet_ids" { type = list(string) }

variable "capacity_provider" {
  description = "Run on this capacity provider; null to use launch_type."
  type        = string
  default     = null
}

variable "launch_type" {
  description = "Used when no capacity provider is given."
  type        = string
  default     = null
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = var.name
    image        = "public.ecr.aws/docker/library/nginx:stable"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = var.cluster_arn
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.desired_count
  deployment_minimum_healthy_percent = 50

  # The module always writes launch_type; with a capacity provider it is null, which
  # provider 5.x plans as "known after apply".
  launch_type = var.capacity_provider == null ? var.launch_type : null

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider == null ? [] : [var.capacity_provider]
    content {
      capacity_provider = capacity_provider_strategy.value
      weight            = 1
    }
  }

  network_configuration {
    subnets = var.subnet_ids
  }
}
