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

variable "service_role_name" {
  type    = string
  default = "ecsServiceRole"
}

data "aws_caller_identity" "current" {}

locals {
  service_role_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${var.service_role_name}"
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

resource "aws_ecs_cluster" "legacy" {
  name = "legacy"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
}

resource "aws_launch_configuration" "ecs" {
  name_prefix          = "legacy-ecs-"
  image_id             = data.aws_ssm_parameter.ami.value
  instance_type        = "m4.large"
  iam_instance_profile = "ecsInstanceRole"
  user_data            = "#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.legacy.name} >> /etc/ecs/ecs.config\n"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_autoscaling_group" "ecs" {
  name                 = "legacy-ecs"
  launch_configuration = aws_launch_configuration.ecs.name
  min_size             = 2
  max_size             = 2
  vpc_zone_identifier  = data.aws_subnets.default.ids
}

resource "aws_lb" "legacy" {
  name    = "legacy"
  subnets = data.aws_subnets.default.ids
}

resource "aws_lb_target_group" "web" {
  name     = "legacy-web"
  port     = 80
  protocol = "HTTP"
  vpc_id   = data.aws_vpc.default.id
}

resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.legacy.arn
  port              = 80

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_ecs_task_definition" "web" {
  family = "legacy-web"

  container_definitions = jsonencode([{
    name         = "web"
    image        = "123456789012.dkr.ecr.us-east-1.amazonaws.com/legacy-web:2016.3"
    memory       = 512
    essential    = true
    portMappings = [{ containerPort = 80, hostPort = 0 }]
  }])
}

# The 2016 way: bridge mode behind an ALB, with a service role for target registration.
resource "aws_ecs_service" "web" {
  name            = "legacy-web"
  cluster         = aws_ecs_cluster.legacy.id
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 4
  iam_role        = local.service_role_arn

  load_balancer {
    target_group_arn = aws_lb_target_group.web.arn
    container_name   = "web"
    container_port   = 80
  }

  depends_on = [aws_lb_listener.web]
}
