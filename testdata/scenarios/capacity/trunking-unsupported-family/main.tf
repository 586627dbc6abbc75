terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "instance_type" {
  description = "Network-optimised instances for the packet relay."
  type        = string
  default     = "c5n.large"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}

resource "aws_vpc" "relay" {
  cidr_block = "10.4.0.0/16"
}

resource "aws_subnet" "relay" {
  for_each          = { a = "10.4.1.0/24", b = "10.4.2.0/24", c = "10.4.3.0/24" }
  vpc_id            = aws_vpc.relay.id
  availability_zone = "us-east-1${each.key}"
  cidr_block        = each.value
}

resource "aws_ecs_cluster" "relay" {
  name = "relay"
}

resource "aws_launch_template" "relay" {
  name_prefix   = "relay-"
  image_id      = "ami-0d4e5f60718293a4b"
  instance_type = var.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.relay.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "relay" {
  name                = "relay"
  min_size            = 3
  max_size            = 3
  vpc_zone_identifier = [for s in aws_subnet.relay : s.id]

  launch_template {
    id      = aws_launch_template.relay.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "relay" {
  family       = "relay"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "relay"
    image        = "public.ecr.aws/docker/library/alpine:3.20"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 5000, protocol = "udp" }]
  }])
}

resource "aws_ecs_service" "relay" {
  name            = "relay"
  cluster         = aws_ecs_cluster.relay.id
  task_definition = aws_ecs_task_definition.relay.arn
  desired_count   = 8
  launch_type     = "EC2"

  network_configuration {
    subnets = [for s in aws_subnet.relay : s.id]
  }
}
