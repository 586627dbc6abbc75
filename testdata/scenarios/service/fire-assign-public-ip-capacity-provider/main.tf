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

variable "desired_count" {
  type    = number
  default = 2
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
  name = "webhooks"
}

resource "aws_launch_template" "this" {
  name_prefix   = "webhooks-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "c6g.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.this.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  name                = "webhooks"
  min_size            = 1
  max_size            = 3
  vpc_zone_identifier = data.aws_subnets.default.ids

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "this" {
  name = "webhooks-arm"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.this.arn
    managed_scaling {
      status = "ENABLED"
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = [aws_ecs_capacity_provider.this.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.this.name
    weight            = 1
  }
}

resource "aws_ecs_task_definition" "sender" {
  family       = "webhook-sender"
  network_mode = "awsvpc"
  cpu          = 512
  memory       = 1024

  runtime_platform {
    cpu_architecture        = "ARM64"
    operating_system_family = "LINUX"
  }

  container_definitions = jsonencode([{
    name      = "sender"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/webhook-sender:5.2.0"
    essential = true
  }])
}

# Moved from Fargate to the Graviton ASG to save money; the public IP flag came along.
resource "aws_ecs_service" "sender" {
  name            = "webhook-sender"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.sender.arn
  desired_count   = var.desired_count

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    assign_public_ip = true
  }

  depends_on = [aws_ecs_cluster_capacity_providers.this]
}
