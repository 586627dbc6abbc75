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

# Account-wide ECS settings are driven by feature flags kept in SSM Parameter Store;
# the setting reads the flag back from the parameter, so on the first apply its value
# is known only after apply.
variable "feature_flags" {
  type = map(string)
  default = {
    "awsvpc-trunking" = "enabled"
  }
}

resource "aws_ssm_parameter" "flag" {
  for_each = var.feature_flags
  name     = "/platform/ecs/${each.key}"
  type     = "String"
  value    = each.value
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = aws_ssm_parameter.flag["awsvpc-trunking"].insecure_value
}

resource "aws_vpc" "main" {
  cidr_block = "10.115.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = "eu-west-1${["a", "b", "c"][count.index]}"
}

# Two clusters of 3 x c5.large each: 6 awsvpc slots without trunking, 30 with it.
locals {
  clusters = toset(["search", "billing"])
}

resource "aws_ecs_cluster" "this" {
  for_each = local.clusters
  name     = each.key
}

resource "aws_launch_template" "this" {
  for_each      = local.clusters
  name_prefix   = "${each.key}-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${each.key} >> /etc/ecs/ecs.config\n")

  private_dns_name_options {
    enable_resource_name_dns_a_record = false
  }
}

resource "aws_autoscaling_group" "this" {
  for_each            = local.clusters
  name                = each.key
  min_size            = 3
  max_size            = 3
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.this[each.key].id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "this" {
  for_each     = local.clusters
  family       = each.key
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = each.key
    image        = "public.ecr.aws/docker/library/nginx:1.27"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 8080 }]
  }])
}

# search: 8 rolling replicas (peak 16).
resource "aws_ecs_service" "search" {
  name                               = "search"
  cluster                            = aws_ecs_cluster.this["search"].id
  task_definition                    = aws_ecs_task_definition.this["search"].arn
  desired_count                      = 8
  launch_type                        = "EC2"
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 50

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}

# billing: 4 tasks deployed blue/green by CodeDeploy (8 during the switch).
resource "aws_lb_target_group" "billing" {
  name        = "billing-blue"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id
}

resource "aws_ecs_service" "billing" {
  name            = "billing"
  cluster         = aws_ecs_cluster.this["billing"].id
  task_definition = aws_ecs_task_definition.this["billing"].arn
  desired_count   = 4
  launch_type     = "EC2"

  deployment_controller {
    type = "CODE_DEPLOY"
  }

  network_configuration {
    subnets = aws_subnet.private[*].id
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.billing.arn
    container_name   = "billing"
    container_port   = 8080
  }
}
