terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "ap-southeast-2"
}

locals {
  name = "payments"
  azs  = ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"]
  private_cidrs = {
    for i, az in local.azs : az => cidrsubnet("10.44.0.0/16", 6, i)
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.44.0.0/16"
}

resource "aws_subnet" "private" {
  for_each          = local.private_cidrs
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

resource "aws_launch_template" "this" {
  name_prefix   = "${local.name}-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "c5.large"

  # Trunking needs resource-based DNS A records off.
  private_dns_name_options {
    hostname_type                     = "ip-name"
    enable_resource_name_dns_a_record = false
  }

  metadata_options {
    http_tokens = "required"
  }

  user_data = base64encode(join("\n", [
    "#!/bin/bash",
    "echo ECS_CLUSTER=${local.name} >> /etc/ecs/ecs.config",
    "echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config",
  ]))

  depends_on = [aws_ecs_account_setting_default.trunking]
}

resource "aws_autoscaling_group" "this" {
  name                  = local.name
  min_size              = 3
  max_size              = 3
  vpc_zone_identifier   = values(aws_subnet.private)[*].id
  protect_from_scale_in = true

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }
}

resource "aws_ecs_capacity_provider" "this" {
  name = local.name

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.this.arn
    managed_termination_protection = "ENABLED"
    managed_draining               = "ENABLED"

    managed_scaling {
      status                    = "ENABLED"
      target_capacity           = 90
      maximum_scaling_step_size = 2
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = [aws_ecs_capacity_provider.this.name]
}

resource "aws_ecs_task_definition" "authorizer" {
  family       = "authorizer"
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "512"
  container_definitions = jsonencode([{
    name         = "authorizer"
    image        = "public.ecr.aws/docker/library/python:3.12-slim"
    essential    = true
    command      = ["python", "-m", "http.server", "8000"]
    portMappings = [{ containerPort = 8000, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "authorizer" {
  name            = "authorizer"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.authorizer.arn
  desired_count   = 8

  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.this.name
    weight            = 100
  }

  network_configuration {
    subnets = [for s in aws_subnet.private : s.id]
  }

  depends_on = [aws_ecs_cluster_capacity_providers.this]
}
