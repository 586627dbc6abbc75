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

# The CodeDeploy application and deployment group live in the delivery pipeline's stack;
# awsvpcTrunking is set (or not) by the account baseline, outside this plan.

variable "private_subnet_cidrs" {
  type    = list(string)
  default = ["10.110.0.0/23", "10.110.2.0/23", "10.110.4.0/23"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.110.0.0/16"
}

resource "aws_subnet" "private" {
  count             = length(var.private_subnet_cidrs)
  vpc_id            = aws_vpc.main.id
  cidr_block        = var.private_subnet_cidrs[count.index]
  availability_zone = "eu-west-1${["a", "b", "c"][count.index]}"
}

resource "aws_ecs_cluster" "main" {
  name = "accounts"
}

resource "aws_launch_template" "main" {
  name_prefix   = "accounts-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=accounts >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "main" {
  name                = "accounts"
  min_size            = 3
  max_size            = 3
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.main.id
    version = "$Latest"
  }
}

resource "aws_lb_target_group" "blue" {
  name        = "accounts-blue"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id
}

resource "aws_ecs_task_definition" "accounts" {
  family       = "accounts"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "accounts"
    image        = "public.ecr.aws/docker/library/eclipse-temurin:21-jre"
    essential    = true
    memory       = 768
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "accounts" {
  name            = "accounts"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.accounts.arn
  desired_count   = 4
  launch_type     = "EC2"

  deployment_controller {
    type = "CODE_DEPLOY"
  }

  network_configuration {
    subnets = aws_subnet.private[*].id
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.blue.arn
    container_name   = "accounts"
    container_port   = 8080
  }

  lifecycle {
    ignore_changes = [task_definition, load_balancer]
  }
}
