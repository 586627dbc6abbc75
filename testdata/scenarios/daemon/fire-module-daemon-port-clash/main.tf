terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-east-2"
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

resource "aws_ecs_cluster" "this" {
  name = "games"
}

resource "aws_launch_template" "this" {
  name_prefix   = "games-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "c6i.xlarge"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=games >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  name                = "games"
  min_size            = 3
  max_size            = 6
  vpc_zone_identifier = data.aws_subnets.default.ids

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }
}

# Metrics sidecar on every host, listening on the standard statsd port.
resource "aws_ecs_task_definition" "statsd" {
  family       = "statsd-daemon"
  network_mode = "host"

  container_definitions = jsonencode([{
    name         = "statsd"
    image        = "statsd/statsd:v0.10.2"
    memory       = 128
    essential    = true
    portMappings = [{ containerPort = 8125, protocol = "udp" }]
  }])
}

resource "aws_ecs_service" "statsd" {
  name                               = "statsd-daemon"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.statsd.arn
  launch_type                        = "EC2"
  scheduling_strategy                = "DAEMON"
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
}

# The match server was ported from docker-compose, statsd port mapping included.
module "match" {
  source = "./modules/bridge-app"

  name       = "match-server"
  cluster_id = aws_ecs_cluster.this.id
  image      = "123456789012.dkr.ecr.us-east-2.amazonaws.com/match-server:88"
  replicas   = 3
  port_mappings = [
    { containerPort = 7777, protocol = "udp" },
    { containerPort = 8125, hostPort = 8125, protocol = "udp" }
  ]
}
