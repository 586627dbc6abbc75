terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "orders_desired_count" {
  type    = number
  default = 6
}

variable "collector_desired_count" {
  type    = number
  default = 2
}

locals {
  # Two clusters: x86 "prod" on c5.large and Graviton "telemetry" on m6g.large (3 ENIs: one slot
  # for the log agent, one for a collector task).
  clusters = {
    prod      = { instance_type = "c5.large", max_size = 3 }
    telemetry = { instance_type = "m6g.large", max_size = 4 }
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.180.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = "eu-west-1${["a", "b", "c"][count.index]}"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "this" {
  for_each = local.clusters
  name     = each.key
}

resource "aws_launch_template" "this" {
  for_each      = local.clusters
  name_prefix   = "${each.key}-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = each.value.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${each.key} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  for_each            = local.clusters
  name                = each.key
  min_size            = 1
  max_size            = each.value.max_size
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.this[each.key].id
    version = "$Latest"
  }
}

# prod: orders' 6 tasks fit 3 x c5.large (6 slots), a rolling deployment's 12 do not.
module "orders" {
  source = "./modules/app"

  name          = "orders"
  cluster_id    = aws_ecs_cluster.this["prod"].id
  subnet_ids    = aws_subnet.private[*].id
  image         = "public.ecr.aws/docker/library/nginx:1.27"
  port          = 8080
  desired_count = var.orders_desired_count
}

# telemetry: the awsvpc log agent daemon takes the only slot of each m6g.medium.
module "log_agent" {
  source = "./modules/app"

  name                = "log-agent"
  cluster_id          = aws_ecs_cluster.this["telemetry"].id
  subnet_ids          = aws_subnet.private[*].id
  image               = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
  port                = 24224
  scheduling_strategy = "DAEMON"
}

module "collector" {
  source = "./modules/app"

  name          = "collector"
  cluster_id    = aws_ecs_cluster.this["telemetry"].id
  subnet_ids    = aws_subnet.private[*].id
  image         = "public.ecr.aws/aws-observability/aws-otel-collector:latest"
  port          = 4317
  desired_count = var.collector_desired_count
}
