terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

locals {
  cluster = "analytics"
  groups = {
    general = { instance_type = "m5.large", max_size = 2 }
    compute = { instance_type = "c5.xlarge", max_size = 3 }
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.210.0.0/16"
}

resource "aws_subnet" "this" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone = "us-east-1${["a", "b"][count.index]}"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "this" {
  name = local.cluster
}

resource "aws_launch_template" "this" {
  for_each      = local.groups
  name_prefix   = "${local.cluster}-${each.key}-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = each.value.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${local.cluster} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  for_each            = local.groups
  name                = "${local.cluster}-${each.key}"
  min_size            = 1
  max_size            = each.value.max_size
  vpc_zone_identifier = aws_subnet.this[*].id

  launch_template {
    id      = aws_launch_template.this[each.key].id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "notebook_api" {
  family       = "notebook-api"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "api"
    image        = "public.ecr.aws/docker/library/python:3.12"
    essential    = true
    memory       = 1024
    portMappings = [{ containerPort = 8888 }]
  }])
}

# The API is memory-bound and pinned to the compute-optimized instances.
resource "aws_ecs_service" "notebook_api" {
  name                               = "notebook-api"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.notebook_api.arn
  desired_count                      = 6
  launch_type                        = "EC2"
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 50

  placement_constraints {
    type       = "memberOf"
    expression = "attribute:ecs.instance-type in [c5.xlarge, c5.2xlarge]"
  }

  network_configuration {
    subnets = aws_subnet.this[*].id
  }
}
