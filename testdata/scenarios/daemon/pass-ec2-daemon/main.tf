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

variable "instance_type" {
  type    = string
  default = "r6i.xlarge"
}

variable "cluster_name" {
  type    = string
  default = "analytics"
}

locals {
  azs = ["eu-west-1a", "eu-west-1b"]
}

resource "aws_vpc" "this" {
  cidr_block = "10.34.0.0/16"
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
}

resource "aws_ecs_cluster" "this" {
  name = var.cluster_name
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "this" {
  name_prefix   = "${var.cluster_name}-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = var.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${var.cluster_name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  name                = var.cluster_name
  min_size            = 1
  max_size            = 6
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }

  tag {
    key                 = "AmazonECSManaged"
    value               = ""
    propagate_at_launch = true
  }
}

resource "aws_ecs_capacity_provider" "this" {
  name = var.cluster_name

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.this.arn
    managed_termination_protection = "DISABLED"

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 90
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = [aws_ecs_capacity_provider.this.name]
}

resource "aws_ecs_task_definition" "datadog" {
  family       = "datadog-agent"
  network_mode = "host"

  volume {
    name      = "docker_sock"
    host_path = "/var/run/docker.sock"
  }

  container_definitions = jsonencode([{
    name      = "datadog-agent"
    image     = "public.ecr.aws/datadog/agent:7.57.2"
    cpu       = 100
    memory    = 512
    essential = true
    portMappings = [
      { containerPort = 8125, hostPort = 8125, protocol = "udp" },
      { containerPort = 8126, hostPort = 8126, protocol = "tcp" }
    ]
    mountPoints = [{ sourceVolume = "docker_sock", containerPath = "/var/run/docker.sock", readOnly = true }]
  }])
}

resource "aws_ecs_service" "datadog" {
  name                = "datadog-agent"
  cluster             = aws_ecs_cluster.this.id
  task_definition     = aws_ecs_task_definition.datadog.arn
  scheduling_strategy = "DAEMON"
  launch_type         = "EC2"
}
