terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "cluster_name" {
  type    = string
  default = "orders"
}

variable "use_large" {
  type    = bool
  default = false
}

variable "api_desired_count" {
  type    = number
  default = 2
}

# Two launch templates (a default and a larger one); the group takes one through a local
# and a dynamic "launch_template" block, which the plan's configuration section leaves out.
# From the plan alone the group runs c5.large (2 awsvpc slots without trunking) or
# m5.2xlarge (3): 3 instances give 6 to 9 slots.
locals {
  azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=${var.cluster_name} >> /etc/ecs/ecs.config
  EOT
  )
  launch_templates = {
    default = { type = "c5.large" }
    large   = { type = "m5.2xlarge" }
  }
  launch_template = aws_launch_template.ecs[var.use_large ? "large" : "default"]
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_vpc" "this" {
  cidr_block = "10.31.0.0/16"
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index + 10)
  availability_zone = local.azs[count.index]
}

resource "aws_security_group" "tasks" {
  name_prefix = "${var.cluster_name}-tasks-"
  vpc_id      = aws_vpc.this.id
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "this" {
  name = var.cluster_name
}

resource "aws_launch_template" "ecs" {
  for_each      = local.launch_templates
  name_prefix   = "${var.cluster_name}-${each.key}-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = each.value.type
  user_data     = local.user_data
}

resource "aws_autoscaling_group" "ecs" {
  name                = "${var.cluster_name}-ecs"
  min_size            = 1
  max_size            = 3
  vpc_zone_identifier = aws_subnet.private[*].id

  dynamic "launch_template" {
    for_each = [local.launch_template]
    content {
      id      = launch_template.value.id
      version = "$Latest"
    }
  }
}

resource "aws_ecs_task_definition" "api" {
  family                   = "orders-api"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name         = "api"
      image        = "public.ecr.aws/nginx/nginx:1.27"
      essential    = true
      portMappings = [{ containerPort = 8080, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "api" {
  name            = "orders-api"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = var.api_desired_count
  launch_type     = "EC2"

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.tasks.id]
  }
}
