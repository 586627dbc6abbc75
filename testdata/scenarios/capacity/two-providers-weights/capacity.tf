# Two pools behind one cluster: on-demand m5.xlarge and spot c5.large.
locals {
  pools = {
    ondemand = { instance_type = "m5.xlarge", max_size = 2, spot = false }
    spot     = { instance_type = "c5.large", max_size = 4, spot = true }
  }
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_launch_template" "pool" {
  for_each      = local.pools
  name_prefix   = "market-${each.key}-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = each.value.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.market.name} >> /etc/ecs/ecs.config\n")

  dynamic "instance_market_options" {
    for_each = each.value.spot ? [1] : []
    content {
      market_type = "spot"
    }
  }
}

resource "aws_autoscaling_group" "pool" {
  for_each              = local.pools
  name                  = "market-${each.key}"
  min_size              = 0
  max_size              = each.value.max_size
  vpc_zone_identifier   = aws_subnet.private[*].id
  protect_from_scale_in = true

  launch_template {
    id      = aws_launch_template.pool[each.key].id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "pool" {
  for_each = local.pools
  name     = "market-${each.key}"

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.pool[each.key].arn
    managed_termination_protection = "ENABLED"

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "market" {
  cluster_name       = aws_ecs_cluster.market.name
  capacity_providers = [for p in aws_ecs_capacity_provider.pool : p.name]
}
