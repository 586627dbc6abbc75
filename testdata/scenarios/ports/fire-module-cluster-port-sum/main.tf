terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

resource "aws_ecs_cluster" "media" {
  name = "media"
}

locals {
  # Each transcoder publishes a block of RTMP/SRT ports in host mode.
  transcoders = {
    live-a = { first_port = 20000, ports = 45 }
    live-b = { first_port = 21000, ports = 45 }
    vod    = { first_port = 22000, ports = 20 }
  }
}

module "transcoder" {
  source   = "./modules/host-service"
  for_each = local.transcoders

  name       = each.key
  cluster_id = aws_ecs_cluster.media.id
  image      = "123456789012.dkr.ecr.us-west-2.amazonaws.com/transcoder:9.1.0"
  ports      = range(each.value.first_port, each.value.first_port + each.value.ports)
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

data "aws_subnets" "default" {
  filter {
    name   = "default-for-az"
    values = ["true"]
  }
}

resource "aws_launch_template" "media" {
  name_prefix   = "media-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = "c6i.2xlarge"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=media >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "media" {
  name                = "media"
  min_size            = 1
  max_size            = 3
  vpc_zone_identifier = data.aws_subnets.default.ids

  launch_template {
    id      = aws_launch_template.media.id
    version = "$Latest"
  }
}
