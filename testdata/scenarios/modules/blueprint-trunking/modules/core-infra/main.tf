data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
  tags       = { Name = var.core_stack_name }
}

resource "aws_subnet" "private" {
  for_each          = { for i, az in local.azs : az => cidrsubnet(var.vpc_cidr, 4, i) }
  vpc_id            = aws_vpc.main.id
  availability_zone = each.key
  cidr_block        = each.value
  tags              = { Name = "${var.core_stack_name}-private-${each.key}" }
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = var.awsvpc_trunking ? "enabled" : "disabled"
}

resource "aws_ecs_cluster" "main" {
  name = var.core_stack_name

  service_connect_defaults {
    namespace = aws_service_discovery_http_namespace.main.arn
  }
}

resource "aws_service_discovery_http_namespace" "main" {
  name = "${var.core_stack_name}.local"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "${var.core_stack_name}-"
  image_id      = nonsensitive(data.aws_ssm_parameter.ami.value)
  instance_type = var.instance_type

  private_dns_name_options {
    enable_resource_name_dns_a_record = false
  }

  user_data = base64encode(templatefile("${path.module}/ecs.config.tftpl", {
    cluster = aws_ecs_cluster.main.name
  }))
}

resource "aws_autoscaling_group" "ecs" {
  name_prefix         = "${var.core_stack_name}-"
  min_size            = 1
  max_size            = var.asg_max_size
  vpc_zone_identifier = values(aws_subnet.private)[*].id

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }

  dynamic "instance_refresh" {
    for_each = var.awsvpc_trunking ? [1] : []
    content {
      strategy = "Rolling"
      triggers = ["tag"]
    }
  }

  tag {
    key                 = "TrunkingGeneration"
    value               = var.awsvpc_trunking ? "trunked" : "plain"
    propagate_at_launch = true
  }
}

resource "aws_ecs_capacity_provider" "ec2" {
  name = "${var.core_stack_name}-ec2"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.ecs.arn
    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [aws_ecs_capacity_provider.ec2.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.ec2.name
    weight            = 1
  }
}
