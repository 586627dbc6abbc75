variable "cluster_name" { type = string }
variable "subnet_ids" { type = list(string) }

variable "ec2_pools" {
  description = "Autoscaling pools, one capacity provider each."
  type = map(object({
    instance_type = string
    max_size      = number
    weight        = number
    base          = optional(number, 0)
  }))
}

resource "aws_ecs_cluster" "this" {
  name = var.cluster_name
}

resource "aws_launch_template" "this" {
  for_each = var.ec2_pools

  name_prefix   = "${var.cluster_name}-${each.key}-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = each.value.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${var.cluster_name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  for_each = var.ec2_pools

  name                  = "${var.cluster_name}-${each.key}"
  min_size              = 0
  max_size              = each.value.max_size
  vpc_zone_identifier   = var.subnet_ids
  protect_from_scale_in = true

  launch_template {
    id      = aws_launch_template.this[each.key].id
    version = "$Latest"
  }

  tag {
    key                 = "AmazonECSManaged"
    value               = true
    propagate_at_launch = true
  }
}

resource "aws_ecs_capacity_provider" "this" {
  for_each = var.ec2_pools

  name = "${var.cluster_name}-${each.key}"

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.this[each.key].arn
    managed_termination_protection = "ENABLED"

    managed_scaling {
      maximum_scaling_step_size = 5
      minimum_scaling_step_size = 1
      status                    = "ENABLED"
      target_capacity           = 60
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = [for cp in aws_ecs_capacity_provider.this : cp.name]

  dynamic "default_capacity_provider_strategy" {
    for_each = var.ec2_pools
    content {
      capacity_provider = aws_ecs_capacity_provider.this[default_capacity_provider_strategy.key].name
      weight            = default_capacity_provider_strategy.value.weight
      base              = default_capacity_provider_strategy.value.base
    }
  }
}

output "cluster_arn" {
  value = aws_ecs_cluster.this.arn
}

output "capacity_providers" {
  value = { for k, cp in aws_ecs_capacity_provider.this : k => cp.name }
}
