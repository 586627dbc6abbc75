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

variable "max_instances" {
  type    = number
  default = 3
}

variable "tasks" {
  type    = number
  default = 4
}

locals {
  name = "quotes"
  port = 8000
  azs  = ["us-east-2a", "us-east-2b", "us-east-2c"]
}

resource "aws_vpc" "this" {
  cidr_block = "10.90.0.0/16"
}

resource "aws_subnet" "public" {
  count                   = 2
  vpc_id                  = aws_vpc.this.id
  cidr_block              = "10.90.${count.index}.0/24"
  availability_zone       = local.azs[count.index]
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.90.${count.index + 10}.0/24"
  availability_zone = local.azs[count.index]
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

resource "aws_launch_template" "this" {
  name_prefix   = "${local.name}-"
  image_id      = "ami-0e1d2c3b4a5f60718"
  instance_type = "m5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${local.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  name                = local.name
  min_size            = 1
  max_size            = var.max_instances
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }
}

resource "aws_lb" "this" {
  name    = local.name
  subnets = aws_subnet.public[*].id
}

resource "aws_lb_target_group" "this" {
  for_each    = toset(["primary", "alternate"])
  name        = "${local.name}-${each.key}"
  port        = local.port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.this.id
}

resource "aws_lb_listener" "prod" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}

resource "aws_lb_listener_rule" "prod" {
  listener_arn = aws_lb_listener.prod.arn
  priority     = 10

  action {
    type = "forward"
    forward {
      target_group {
        arn    = aws_lb_target_group.this["primary"].arn
        weight = 100
      }
      target_group {
        arn    = aws_lb_target_group.this["alternate"].arn
        weight = 0
      }
    }
  }

  condition {
    path_pattern {
      values = ["/*"]
    }
  }

  lifecycle {
    ignore_changes = [action]
  }
}

resource "aws_iam_role" "ecs_infrastructure" {
  name = "${local.name}-ecs-infrastructure"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_ecs_task_definition" "this" {
  family       = local.name
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "512"
  container_definitions = jsonencode([{
    name         = local.name
    image        = "public.ecr.aws/docker/library/python:3.12-alpine"
    essential    = true
    portMappings = [{ containerPort = local.port }]
  }])
}

# ECS-native blue/green (provider 6.x): the green task set starts in full before the
# blue one is drained, and both run through the 10-minute bake time.
resource "aws_ecs_service" "this" {
  name            = local.name
  cluster         = aws_ecs_cluster.this.arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.tasks
  launch_type     = "EC2"

  deployment_configuration {
    strategy             = "BLUE_GREEN"
    bake_time_in_minutes = "10"
  }

  network_configuration {
    subnets = aws_subnet.private[*].id
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this["primary"].arn
    container_name   = local.name
    container_port   = local.port

    advanced_configuration {
      alternate_target_group_arn = aws_lb_target_group.this["alternate"].arn
      production_listener_rule   = aws_lb_listener_rule.prod.arn
      role_arn                   = aws_iam_role.ecs_infrastructure.arn
    }
  }
}
