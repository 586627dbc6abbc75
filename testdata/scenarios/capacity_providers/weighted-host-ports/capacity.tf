# Two capacity providers behind one cluster: edge (2 × c5.large) and general (4 × m5.large).
locals {
  pools = {
    edge    = { instance_type = "c5.large", max_size = 2 }
    general = { instance_type = "m5.large", max_size = 4 }
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.81.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_ecs_cluster" "main" {
  name = "gateway"
}

resource "aws_launch_template" "pool" {
  for_each      = local.pools
  name_prefix   = "gateway-${each.key}-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = each.value.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "pool" {
  for_each            = local.pools
  name                = "gateway-${each.key}"
  min_size            = 0
  max_size            = each.value.max_size
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.pool[each.key].id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "pool" {
  for_each = local.pools
  name     = "gateway-${each.key}"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.pool[each.key].arn

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [for p in aws_ecs_capacity_provider.pool : p.name]
}
