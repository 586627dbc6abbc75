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

variable "approved_max_instances" {
  description = "Instance ceiling approved by the capacity review."
  type        = number
  default     = 4
}

# The approved ceiling is recorded as a resource so that changing it shows up as its own
# change in the plan; the autoscaling group reads it back, so on create max_size is
# known only after apply.
resource "terraform_data" "approved_capacity" {
  input = var.approved_max_instances
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "core" {
  cidr_block = "172.20.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.core.id
  availability_zone = data.aws_availability_zones.available.names[count.index]
  cidr_block        = cidrsubnet(aws_vpc.core.cidr_block, 4, count.index)
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "core" {
  name = "core"
}

resource "aws_launch_template" "core" {
  name_prefix   = "core-"
  image_id      = "ami-0f3c9a7e5b1d24680"
  instance_type = "m5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=core >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "core" {
  name                = "core-ecs"
  min_size            = 1
  max_size            = terraform_data.approved_capacity.output
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.core.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "api" {
  family       = "core-api"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "api"
    image        = "public.ecr.aws/docker/library/golang:1.22"
    essential    = true
    memory       = 512
    portMappings = [{ containerPort = 9000 }]
  }])
}

resource "aws_ecs_service" "api" {
  name            = "core-api"
  cluster         = aws_ecs_cluster.core.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 4
  launch_type     = "EC2"

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}

resource "aws_ecs_task_definition" "gateway" {
  family       = "core-gateway"
  network_mode = "host"
  container_definitions = jsonencode([{
    name         = "gateway"
    image        = "public.ecr.aws/docker/library/haproxy:2.9"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 80, hostPort = 80 }]
  }])
}

resource "aws_ecs_service" "gateway" {
  name            = "core-gateway"
  cluster         = aws_ecs_cluster.core.id
  task_definition = aws_ecs_task_definition.gateway.arn
  desired_count   = 2
  launch_type     = "EC2"
}
