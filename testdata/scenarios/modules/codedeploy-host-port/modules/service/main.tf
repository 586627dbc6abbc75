locals {
  create = var.create_service

  containers = [for k, v in var.container_definitions : merge({ name = k, essential = true }, v)]
}

resource "aws_ecs_task_definition" "this" {
  count = local.create ? 1 : 0

  family                = var.name
  network_mode          = var.network_mode
  container_definitions = jsonencode(local.containers)

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_ecs_service" "this" {
  count = local.create ? 1 : 0

  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this[0].arn
  desired_count   = var.desired_count
  launch_type     = var.launch_type

  dynamic "deployment_controller" {
    for_each = length(var.deployment_controller) > 0 ? [var.deployment_controller] : []
    content {
      type = try(deployment_controller.value.type, null)
    }
  }

  dynamic "load_balancer" {
    for_each = var.load_balancer
    content {
      target_group_arn = load_balancer.value.target_group_arn
      container_name   = load_balancer.value.container_name
      container_port   = load_balancer.value.container_port
    }
  }

  lifecycle {
    ignore_changes = [task_definition, load_balancer]
  }
}

output "name" {
  value = try(aws_ecs_service.this[0].name, null)
}
