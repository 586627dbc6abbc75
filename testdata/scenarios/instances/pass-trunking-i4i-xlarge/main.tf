terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "ap-northeast-1"
}

variable "instance_type" {
  description = "Container instance type"
  type        = string
}

variable "max_instances" {
  type = number
}

variable "desired_count" {
  type = number
}

locals {
  name = "trunking-i4i-xlarge"
  azs  = ["ap-northeast-1a", "ap-northeast-1b"]
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}

resource "aws_vpc" "this" {
  cidr_block = "10.65.0.0/16"
  tags       = { Name = local.name }
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  tags              = { Name = "${local.name}-private-${count.index}" }
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "${local.name}-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = var.instance_type

  private_dns_name_options {
    enable_resource_name_dns_a_record = false
  }

  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=${aws_ecs_cluster.this.name} >> /etc/ecs/ecs.config
  EOT
  )
}

resource "aws_autoscaling_group" "ecs" {
  name                = local.name
  min_size            = 1
  max_size            = var.max_instances
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "app" {
  family       = "indexer"
  network_mode = "awsvpc"
  cpu          = "512"
  memory       = "2048"
  container_definitions = jsonencode([{
    name         = "indexer"
    image        = "public.ecr.aws/docker/library/redis:7"
    essential    = true
    portMappings = [{ containerPort = 6379, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "app" {
  name                               = "indexer"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.app.arn
  desired_count                      = var.desired_count
  launch_type                        = "EC2"
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 50

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}
