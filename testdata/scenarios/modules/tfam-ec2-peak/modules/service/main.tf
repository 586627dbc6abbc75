locals {
  is_awsvpc = var.network_mode == "awsvpc"

  # Container definitions: defaults applied per container, then encoded once.
  container_definitions = [
    for name, c in var.container_definitions : {
      name              = try(c.name, name)
      image             = c.image
      essential         = try(c.essential, true)
      cpu               = try(c.cpu, 0)
      memory            = try(c.memory, null)
      memoryReservation = try(c.memory_reservation, null)
      command           = try(c.command, null)
      environment       = [for k, v in try(c.environment, {}) : { name = k, value = v }]
      portMappings = [
        for p in try(c.port_mappings, []) : {
          name          = try(p.name, null)
          containerPort = p.containerPort
          hostPort      = try(p.hostPort, local.is_awsvpc ? p.containerPort : null)
          protocol      = try(p.protocol, "tcp")
        }
      ]
      readonlyRootFilesystem = try(c.readonly_root_filesystem, false)
    }
  ]

  task_definition = {
    family                   = var.name
    network_mode             = var.network_mode
    requires_compatibilities = var.requires_compatibilities
    cpu                      = var.cpu
    memory                   = var.memory
    container_definitions    = jsonencode(local.container_definitions)
  }
}

resource "aws_ecs_task_definition" "this" {
  count = var.create ? 1 : 0

  family                   = local.task_definition.family
  network_mode             = local.task_definition.network_mode
  requires_compatibilities = local.task_definition.requires_compatibilities
  cpu                      = local.task_definition.cpu
  memory                   = local.task_definition.memory
  container_definitions    = local.task_definition.container_definitions

  tags = var.tags
}

resource "aws_ecs_service" "this" {
  count = var.create ? 1 : 0

  name                               = var.name
  cluster                            = var.cluster_arn
  task_definition                    = aws_ecs_task_definition.this[0].arn
  desired_count                      = var.desired_count
  launch_type                        = length(var.capacity_provider_strategy) > 0 ? null : var.launch_type
  deployment_maximum_percent         = var.deployment_maximum_percent
  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  enable_execute_command             = var.enable_execute_command

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy
    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  dynamic "network_configuration" {
    for_each = local.is_awsvpc ? [1] : []
    content {
      subnets          = var.subnet_ids
      security_groups  = var.security_group_ids
      assign_public_ip = var.assign_public_ip
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

  dynamic "deployment_circuit_breaker" {
    for_each = length(var.deployment_circuit_breaker) > 0 ? [var.deployment_circuit_breaker] : []
    content {
      enable   = deployment_circuit_breaker.value.enable
      rollback = deployment_circuit_breaker.value.rollback
    }
  }

  tags = var.tags

  lifecycle {
    ignore_changes = [desired_count]
  }
}
