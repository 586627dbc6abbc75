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

locals {
  # The account-wide role created years ago for classic load balancers.
  ecs_service_role = "arn:aws:iam::123456789012:role/ecsServiceRole"

  routes = {
    accounts = { paths = ["/accounts/*"], priority = 10 }
    profiles = { paths = ["/profiles/*"], priority = 20 }
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.15.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  availability_zone = "eu-west-1${["a", "b"][count.index]}"
  cidr_block        = "10.15.${count.index}.0/24"
}

resource "aws_subnet" "public" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  availability_zone = "eu-west-1${["a", "b"][count.index]}"
  cidr_block        = "10.15.${100 + count.index}.0/24"
}

resource "aws_lb" "this" {
  name               = "identity"
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "not found"
      status_code  = "404"
    }
  }
}

resource "aws_ecs_cluster" "this" {
  name = "identity"
}

module "svc" {
  source   = "./modules/lb-service"
  for_each = local.routes

  name             = each.key
  cluster_id       = aws_ecs_cluster.this.id
  vpc_id           = aws_vpc.this.id
  subnet_ids       = aws_subnet.private[*].id
  listener_arn     = aws_lb_listener.http.arn
  path_patterns    = each.value.paths
  priority         = each.value.priority
  service_role_arn = local.ecs_service_role
  image            = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/${each.key}:1.0.0"
}
