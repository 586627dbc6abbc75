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

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_ecs_cluster" "ops" {
  name = "ops"
}

resource "aws_launch_template" "ops" {
  name_prefix   = "ops-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "m5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.ops.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "ops" {
  name                = "ops"
  min_size            = 2
  max_size            = 5
  vpc_zone_identifier = data.aws_subnets.default.ids

  launch_template {
    id      = aws_launch_template.ops.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "node_exporter" {
  family       = "node-exporter"
  network_mode = "host"
  pid_mode     = "host"

  volume {
    name      = "proc"
    host_path = "/proc"
  }

  container_definitions = jsonencode([{
    name         = "node-exporter"
    image        = "quay.io/prometheus/node-exporter:v1.8.2"
    memory       = 64
    essential    = true
    command      = ["--path.procfs=/host/proc"]
    portMappings = [{ containerPort = 9100, hostPort = 9100 }]
    mountPoints  = [{ sourceVolume = "proc", containerPath = "/host/proc", readOnly = true }]
  }])
}

# Copied from a replica service and switched to DAEMON; the spread strategy stayed.
resource "aws_ecs_service" "node_exporter" {
  name                = "node-exporter"
  cluster             = aws_ecs_cluster.ops.id
  task_definition     = aws_ecs_task_definition.node_exporter.arn
  launch_type         = "EC2"
  scheduling_strategy = "DAEMON"

  ordered_placement_strategy {
    type  = "spread"
    field = "attribute:ecs.availability-zone"
  }
}
