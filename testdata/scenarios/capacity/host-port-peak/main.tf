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

locals {
  cluster_name = "metrics"
  # cloud-init MIME multipart: a boothook that tunes sysctl, then the ECS agent config.
  user_data = <<-MIME
    Content-Type: multipart/mixed; boundary="==BOUNDARY=="
    MIME-Version: 1.0

    --==BOUNDARY==
    Content-Type: text/cloud-boothook; charset="us-ascii"

    cloud-init-per once sysctl_conntrack sysctl -w net.netfilter.nf_conntrack_max=262144

    --==BOUNDARY==
    Content-Type: text/x-shellscript; charset="us-ascii"

    #!/bin/bash
    echo ECS_CLUSTER=${local.cluster_name} >> /etc/ecs/ecs.config
    echo ECS_RESERVED_MEMORY=256 >> /etc/ecs/ecs.config

    --==BOUNDARY==--
  MIME
}

resource "aws_vpc" "metrics" {
  cidr_block = "10.77.0.0/16"
}

resource "aws_subnet" "metrics" {
  for_each          = toset(["us-west-2a", "us-west-2b", "us-west-2c"])
  vpc_id            = aws_vpc.metrics.id
  availability_zone = each.value
  cidr_block        = cidrsubnet("10.77.0.0/16", 8, index(["us-west-2a", "us-west-2b", "us-west-2c"], each.value))
}

resource "aws_ecs_cluster" "metrics" {
  name = local.cluster_name
}

resource "aws_launch_template" "metrics" {
  name_prefix   = "${local.cluster_name}-"
  image_id      = "ami-0b9c8d7e6f5a43210"
  instance_type = "r5.large"
  user_data     = base64encode(local.user_data)
}

resource "aws_autoscaling_group" "metrics" {
  name                = local.cluster_name
  min_size            = 3
  max_size            = 3
  vpc_zone_identifier = [for s in aws_subnet.metrics : s.id]

  launch_template {
    id      = aws_launch_template.metrics.id
    version = "$Latest"
  }
}

# StatsD relay listening on a fixed port of every instance it runs on.
resource "aws_ecs_task_definition" "statsd" {
  family       = "statsd-relay"
  network_mode = "host"
  container_definitions = jsonencode([{
    name      = "statsd"
    image     = "public.ecr.aws/docker/library/telegraf:1.30"
    essential = true
    memory    = 512
    portMappings = [
      { containerPort = 8125, hostPort = 8125, protocol = "udp" }
    ]
  }])
}

resource "aws_ecs_service" "statsd" {
  name            = "statsd-relay"
  cluster         = aws_ecs_cluster.metrics.id
  task_definition = aws_ecs_task_definition.statsd.arn
  desired_count   = 2
  launch_type     = "EC2"
}
