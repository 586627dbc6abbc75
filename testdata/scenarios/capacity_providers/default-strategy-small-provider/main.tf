# A cluster whose default capacity provider strategy sends every task to a small
# "burst" provider (2 × c5.large: 4 awsvpc slots), next to a large "core" group of
# m5.2xlarge registered by user data alone (no provider). The api service sets neither a
# launch type nor a strategy, so ECS uses the cluster default: its 6 tasks wait for the
# burst provider's 4 slots, although the cluster as a whole has 4 + 3 × 3 = 13.

resource "aws_vpc" "main" {
  cidr_block = "10.80.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "main" {
  name = "orders"
}

locals {
  groups = {
    burst = { instance_type = "c5.large", max_size = 2 }
    core  = { instance_type = "m5.2xlarge", max_size = 3 }
  }
}

resource "aws_launch_template" "group" {
  for_each      = local.groups
  name_prefix   = "orders-${each.key}-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = each.value.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "group" {
  for_each            = local.groups
  name                = "orders-${each.key}"
  min_size            = 0
  max_size            = each.value.max_size
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.group[each.key].id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "burst" {
  name = "orders-burst"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.group["burst"].arn

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [aws_ecs_capacity_provider.burst.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.burst.name
    weight            = 1
  }
}

resource "aws_ecs_task_definition" "api" {
  family       = "orders-api"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "api"
    image        = "public.ecr.aws/docker/library/nginx:stable"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 8080 }]
  }])
}
