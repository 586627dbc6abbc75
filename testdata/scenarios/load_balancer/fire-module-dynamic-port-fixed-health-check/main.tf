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

variable "apps" {
  type = map(object({
    image             = string
    port              = number
    health_check_path = string
    health_check_port = optional(string)
  }))
  default = {
    blog = {
      image             = "ghost:5.96"
      port              = 2368
      health_check_path = "/ghost/api/admin/site/"
    }
    # Someone "fixed" flapping health checks by pinning the port the app listens on.
    forum = {
      image             = "discourse/discourse:3.3.2"
      port              = 8080
      health_check_path = "/srv/status"
      health_check_port = "8080"
    }
  }
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

resource "aws_ecs_cluster" "community" {
  name = "community"
}

resource "aws_lb" "community" {
  name    = "community"
  subnets = data.aws_subnets.default.ids
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.community.arn
  port              = 80

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}

module "app" {
  source   = "./modules/bridge-service"
  for_each = var.apps

  name           = each.key
  cluster_id     = aws_ecs_cluster.community.id
  vpc_id         = data.aws_vpc.default.id
  listener_arn   = aws_lb_listener.http.arn
  host_header    = "${each.key}.example.org"
  image          = each.value.image
  container_port = each.value.port

  health_check = {
    path = each.value.health_check_path
    port = each.value.health_check_port
  }
}
