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

variable "asg_max_size" {
  type    = number
  default = 3
}

locals {
  name = "storefront"
  azs  = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

module "network" {
  source = "./modules/network"
  cidr   = "10.140.0.0/16"
  azs    = local.azs
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

resource "aws_launch_template" "this" {
  name_prefix   = "${local.name}-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.xlarge"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${local.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  name                = local.name
  min_size            = 2
  max_size            = var.asg_max_size
  vpc_zone_identifier = module.network.private_subnets

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }
}

resource "aws_lb" "this" {
  name    = local.name
  subnets = module.network.public_subnets
}

resource "aws_lb_target_group" "this" {
  for_each = toset(["blue", "green"])
  name     = "${local.name}-${each.key}"
  port     = 80
  protocol = "HTTP"
  vpc_id   = module.network.vpc_id
}

resource "aws_lb_listener" "this" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this["blue"].arn
  }
}

module "storefront" {
  source = "./modules/service"

  name          = local.name
  cluster_arn   = aws_ecs_cluster.this.arn
  network_mode  = "host"
  desired_count = 2

  deployment_controller = {
    type = "CODE_DEPLOY"
  }

  container_definitions = {
    web = {
      image             = "public.ecr.aws/docker/library/nginx:1.27"
      memoryReservation = 512
      portMappings      = [{ containerPort = 80, hostPort = 80, protocol = "tcp" }]
    }
  }

  load_balancer = {
    blue = {
      target_group_arn = aws_lb_target_group.this["blue"].arn
      container_name   = "web"
      container_port   = 80
    }
  }
}

resource "aws_codedeploy_app" "this" {
  name             = local.name
  compute_platform = "ECS"
}

resource "aws_iam_role" "codedeploy" {
  name               = "${local.name}-codedeploy"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "codedeploy.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}

resource "aws_codedeploy_deployment_group" "this" {
  app_name               = aws_codedeploy_app.this.name
  deployment_group_name  = local.name
  service_role_arn       = aws_iam_role.codedeploy.arn
  deployment_config_name = "CodeDeployDefault.ECSAllAtOnce"

  deployment_style {
    deployment_option = "WITH_TRAFFIC_CONTROL"
    deployment_type   = "BLUE_GREEN"
  }

  blue_green_deployment_config {
    deployment_ready_option {
      action_on_timeout = "CONTINUE_DEPLOYMENT"
    }
    terminate_blue_instances_on_deployment_success {
      action = "TERMINATE"
    }
  }

  ecs_service {
    cluster_name = aws_ecs_cluster.this.name
    service_name = module.storefront.name
  }

  load_balancer_info {
    target_group_pair_info {
      prod_traffic_route {
        listener_arns = [aws_lb_listener.this.arn]
      }
      dynamic "target_group" {
        for_each = aws_lb_target_group.this
        content {
          name = target_group.value.name
        }
      }
    }
  }
}
