terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-north-1"
}

# A media edge exposes five ports, each with its own target group, listener and NLB port.
locals {
  ports = { rtmp = 1935, hls = 8080, dash = 8081, srt = 9000, webrtc = 8443 }
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

resource "aws_lb" "edge" {
  name               = "media-edge"
  load_balancer_type = "network"
  subnets            = data.aws_subnets.default.ids
}

resource "aws_lb_target_group" "edge" {
  for_each    = local.ports
  name        = "edge-${each.key}"
  port        = each.value
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = data.aws_vpc.default.id
}

resource "aws_lb_listener" "edge" {
  for_each          = local.ports
  load_balancer_arn = aws_lb.edge.arn
  port              = each.value
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.edge[each.key].arn
  }
}

resource "aws_ecs_cluster" "media" {
  name = "media"
}

resource "aws_ecs_task_definition" "edge" {
  family                   = "media-edge"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 2048
  memory                   = 4096

  container_definitions = jsonencode([{
    name         = "edge"
    image        = "public.ecr.aws/example/media-edge:12"
    essential    = true
    portMappings = [for p in values(local.ports) : { containerPort = p }]
  }])
}
