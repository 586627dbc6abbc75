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

locals {
  services = {
    orders   = { port = 8080, path = "/orders", priority = 100 }
    invoices = { port = 8081, path = "/invoices", priority = 110 }
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.22.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 4, count.index)
  availability_zone = element(["eu-west-1a", "eu-west-1b"], count.index)
}

resource "aws_subnet" "public" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, 200 + count.index)
  availability_zone = element(["eu-west-1a", "eu-west-1b"], count.index)
}

resource "aws_lb" "api" {
  name     = "billing-api"
  internal = true
  subnets  = aws_subnet.private[*].id
}

resource "aws_lb_listener" "api" {
  load_balancer_arn = aws_lb.api.arn
  port              = 80

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "application/json"
      message_body = "{\"error\":\"no route\"}"
      status_code  = "404"
    }
  }
}

resource "aws_ecs_cluster" "billing" {
  name = "billing"
}

module "service" {
  source   = "./modules/service"
  for_each = local.services

  name         = each.key
  cluster_id   = aws_ecs_cluster.billing.id
  vpc_id       = aws_vpc.this.id
  subnet_ids   = aws_subnet.private[*].id
  listener_arn = aws_lb_listener.api.arn
  priority     = each.value.priority
  path         = each.value.path
  port         = each.value.port
  image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/${each.key}:2.0.0"
}
