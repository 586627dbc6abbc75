# A cluster module in the style of terraform-aws-modules/ecs: the capacity providers are
# for_each'd over a map whose values carry the autoscaling group ARNs, so each provider
# names its group through each.value, which the plan's configuration section does not
# expand.
variable "cluster_name" { type = string }

variable "autoscaling_capacity_providers" {
  type = map(object({
    auto_scaling_group_arn = string
    weight                 = optional(number, 1)
    base                   = optional(number, 0)
  }))
}

resource "aws_ecs_cluster" "this" {
  name = var.cluster_name
}

resource "aws_ecs_capacity_provider" "this" {
  for_each = var.autoscaling_capacity_providers

  name = "${var.cluster_name}-${each.key}"

  auto_scaling_group_provider {
    auto_scaling_group_arn         = each.value.auto_scaling_group_arn
    managed_termination_protection = "ENABLED"

    managed_scaling {
      maximum_scaling_step_size = 5
      minimum_scaling_step_size = 1
      status                    = "ENABLED"
      target_capacity           = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = [for cp in aws_ecs_capacity_provider.this : cp.name]
}

output "cluster_arn" {
  value = aws_ecs_cluster.this.arn
}

output "capacity_providers" {
  value = { for k, cp in aws_ecs_capacity_provider.this : k => cp.name }
}
