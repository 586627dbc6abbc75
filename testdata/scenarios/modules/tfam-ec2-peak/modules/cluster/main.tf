variable "cluster_name" {
  type = string
}

variable "cluster_settings" {
  type = list(object({ name = string, value = string }))
  default = [
    { name = "containerInsights", value = "enabled" }
  ]
}

variable "autoscaling_capacity_providers" {
  description = "Capacity providers backed by autoscaling groups, keyed by name."
  type = map(object({
    auto_scaling_group_arn         = string
    managed_termination_protection = optional(string, "ENABLED")
    managed_scaling = optional(object({
      status                    = optional(string, "ENABLED")
      target_capacity           = optional(number, 100)
      maximum_scaling_step_size = optional(number)
      minimum_scaling_step_size = optional(number)
    }), {})
    default_capacity_provider_strategy = optional(object({
      weight = optional(number)
      base   = optional(number)
    }))
  }))
  default = {}
}

variable "fargate_capacity_providers" {
  type    = map(object({ default_capacity_provider_strategy = optional(object({ weight = optional(number), base = optional(number) })) }))
  default = {}
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_ecs_cluster" "this" {
  name = var.cluster_name

  dynamic "setting" {
    for_each = var.cluster_settings
    content {
      name  = setting.value.name
      value = setting.value.value
    }
  }

  tags = var.tags
}

resource "aws_ecs_capacity_provider" "this" {
  for_each = var.autoscaling_capacity_providers

  name = each.key

  auto_scaling_group_provider {
    auto_scaling_group_arn         = each.value.auto_scaling_group_arn
    managed_termination_protection = each.value.managed_termination_protection

    managed_scaling {
      status                    = each.value.managed_scaling.status
      target_capacity           = each.value.managed_scaling.target_capacity
      maximum_scaling_step_size = each.value.managed_scaling.maximum_scaling_step_size
      minimum_scaling_step_size = each.value.managed_scaling.minimum_scaling_step_size
    }
  }

  tags = var.tags
}

locals {
  default_strategies = merge(
    { for k, v in var.fargate_capacity_providers : k => v.default_capacity_provider_strategy if v.default_capacity_provider_strategy != null },
    { for k, v in var.autoscaling_capacity_providers : k => v.default_capacity_provider_strategy if v.default_capacity_provider_strategy != null },
  )
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name = aws_ecs_cluster.this.name
  capacity_providers = distinct(concat(
    keys(var.fargate_capacity_providers),
    [for k, v in aws_ecs_capacity_provider.this : v.name],
  ))

  dynamic "default_capacity_provider_strategy" {
    for_each = local.default_strategies
    content {
      capacity_provider = default_capacity_provider_strategy.key
      weight            = try(default_capacity_provider_strategy.value.weight, null)
      base              = try(default_capacity_provider_strategy.value.base, null)
    }
  }

  depends_on = [aws_ecs_capacity_provider.this]
}

output "arn" {
  value = aws_ecs_cluster.this.arn
}

output "name" {
  value = aws_ecs_cluster.this.name
}

output "autoscaling_capacity_providers" {
  value = aws_ecs_capacity_provider.this
}
