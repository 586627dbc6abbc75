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

data "aws_vpc" "main" {
  tags = {
    Name = "main"
  }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.main.id]
  }
  tags = {
    Tier = "private"
  }
}

data "aws_subnets" "public" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.main.id]
  }
  tags = {
    Tier = "public"
  }
}

resource "aws_ecs_cluster" "gpu" {
  name = "render"
}

data "aws_ssm_parameter" "gpu_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2/gpu/recommended/image_id"
}

resource "aws_launch_template" "gpu" {
  name_prefix   = "render-"
  image_id      = data.aws_ssm_parameter.gpu_ami.value
  instance_type = "g4dn.xlarge"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=render >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "gpu" {
  name                = "render"
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = data.aws_subnets.private.ids

  launch_template {
    id      = aws_launch_template.gpu.id
    version = "$Latest"
  }
}

resource "aws_lb" "render" {
  name    = "render"
  subnets = data.aws_subnets.public.ids
}

resource "aws_lb_listener" "render" {
  load_balancer_arn = aws_lb.render.arn
  port              = 80

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}

# GPU rendering needs EC2; bridge mode keeps ENIs free on the g4dn instances.
module "renderer" {
  source = "./modules/alb-service"

  name         = "renderer"
  cluster_id   = aws_ecs_cluster.gpu.id
  vpc_id       = data.aws_vpc.main.id
  network_mode = "bridge"
  launch_type  = "EC2"
  listener_arn = aws_lb_listener.render.arn
  port         = 7000
  image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/renderer:0.9.0"
}
