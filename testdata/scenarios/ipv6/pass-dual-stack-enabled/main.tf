terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

locals {
  azs = ["us-west-2a", "us-west-2b", "us-west-2c"]
}

resource "aws_ecs_account_setting_default" "dual_stack" {
  name  = "dualStackIPv6"
  value = "enabled"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}

resource "aws_vpc" "this" {
  cidr_block                       = "10.38.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "app" {
  count                           = length(local.azs)
  vpc_id                          = aws_vpc.this.id
  availability_zone               = local.azs[count.index]
  cidr_block                      = cidrsubnet(aws_vpc.this.cidr_block, 4, count.index)
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.this.ipv6_cidr_block, 8, count.index)
  assign_ipv6_address_on_creation = true
}

resource "aws_ecs_cluster" "this" {
  name = "video"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "this" {
  name_prefix   = "video-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "c5.2xlarge"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.this.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  name                = "video"
  min_size            = 3
  max_size            = 6
  vpc_zone_identifier = aws_subnet.app[*].id

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }

  depends_on = [aws_ecs_account_setting_default.dual_stack, aws_ecs_account_setting_default.trunking]
}

resource "aws_ecs_task_definition" "transcoder" {
  family                   = "transcoder"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  cpu                      = 2048
  memory                   = 4096

  container_definitions = jsonencode([{
    name         = "transcoder"
    image        = "123456789012.dkr.ecr.us-west-2.amazonaws.com/transcoder:9.1.0"
    essential    = true
    portMappings = [{ containerPort = 8554, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "transcoder" {
  name            = "transcoder"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.transcoder.arn
  desired_count   = 6
  launch_type     = "EC2"

  network_configuration {
    subnets = aws_subnet.app[*].id
  }
}
