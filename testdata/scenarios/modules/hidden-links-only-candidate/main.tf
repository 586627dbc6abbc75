terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-central-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = "eu-central-1${["a", "b"][count.index]}"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "main" {
  name = "shop"
}

locals {
  # One launch template, chosen through a local the way community modules do.
  launch_template = {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
  groups = { ec2 = { max_size = 2 } }
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "shop-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.large"
}

resource "aws_autoscaling_group" "this" {
  for_each            = local.groups
  name                = "shop-${each.key}"
  min_size            = 1
  max_size            = each.value.max_size
  vpc_zone_identifier = aws_subnet.private[*].id

  dynamic "launch_template" {
    for_each = [local.launch_template]
    content {
      id      = launch_template.value.id
      version = launch_template.value.version
    }
  }
}

# One capacity provider per group: auto_scaling_group_arn = each.value.arn.
resource "aws_ecs_capacity_provider" "this" {
  for_each = aws_autoscaling_group.this
  name     = "shop-${each.key}"

  auto_scaling_group_provider {
    auto_scaling_group_arn = each.value.arn
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [for cp in aws_ecs_capacity_provider.this : cp.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.this["ec2"].name
    weight            = 1
  }
}

resource "aws_lb_target_group" "api" {
  name        = "api"
  port        = 8080
  protocol    = "HTTP"
  vpc_id      = aws_vpc.main.id
  target_type = "instance"
}

resource "aws_lb_target_group" "web" {
  name        = "web"
  port        = 3000
  protocol    = "HTTP"
  vpc_id      = aws_vpc.main.id
  target_type = "ip"
}

# api: an awsvpc service behind an instance target group (NET050), found only as the one
# target group the module call names.
module "api" {
  source = "./modules/svc"

  name             = "api"
  cluster_arn      = aws_ecs_cluster.main.arn
  subnet_ids       = aws_subnet.private[*].id
  target_group_arn = aws_lb_target_group.api.arn
  port             = 8080
  desired_count    = 2
}

module "web" {
  source = "./modules/svc"

  name             = "web"
  cluster_arn      = aws_ecs_cluster.main.arn
  subnet_ids       = aws_subnet.private[*].id
  target_group_arn = aws_lb_target_group.web.arn
  port             = 3000
  desired_count    = 1
}
