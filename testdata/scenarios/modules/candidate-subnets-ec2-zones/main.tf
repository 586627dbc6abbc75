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

variable "isolated" {
  type    = bool
  default = false
}

# An EC2 cluster whose instances launch in two zones, and a service whose
# network_configuration is a dynamic block over a local picking the app tier or the
# isolated tier. From the plan alone the service's subnets are some of the four; every one
# is in a zone with instances, so NET046 passes whichever tier the service uses.
locals {
  azs = ["eu-west-1a", "eu-west-1b"]
  network = {
    subnets = var.isolated ? aws_subnet.isolated[*].id : aws_subnet.app[*].id
  }
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_vpc" "main" {
  cidr_block = "10.90.0.0/16"
}

resource "aws_subnet" "app" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = local.azs[count.index]
}

resource "aws_subnet" "isolated" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, 10 + count.index)
  availability_zone = local.azs[count.index]
}

resource "aws_ecs_cluster" "main" {
  name = "reports"
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "reports-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = "m5.xlarge"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=reports >> /etc/ecs/ecs.config
  EOT
  )
}

resource "aws_autoscaling_group" "ecs" {
  name                = "reports"
  min_size            = 1
  max_size            = 4
  vpc_zone_identifier = aws_subnet.app[*].id

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "report" {
  family                   = "report"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  memory                   = 512

  container_definitions = jsonencode([{
    name         = "report"
    image        = "public.ecr.aws/docker/library/python:3.12"
    essential    = true
    portMappings = [{ containerPort = 8000 }]
  }])
}

resource "aws_ecs_service" "report" {
  name            = "report"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.report.arn
  desired_count   = 2
  launch_type     = "EC2"

  dynamic "network_configuration" {
    for_each = [local.network]
    content {
      subnets = network_configuration.value.subnets
    }
  }
}
