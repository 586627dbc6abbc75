terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "desired_count" {
  type    = number
  default = 2
}

# Handed out by the platform team (baseline egress, monitoring, VPN access).
variable "platform_security_group_ids" {
  type    = list(string)
  default = ["sg-0aa11bb22cc33dd01", "sg-0aa11bb22cc33dd02", "sg-0aa11bb22cc33dd03"]
}

data "aws_vpc" "platform" {
  id = "vpc-0f1e2d3c4b5a69788"
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.platform.id]
  }
  tags = {
    Tier = "private"
  }
}

resource "aws_ecs_cluster" "checkout" {
  name = "checkout"
}

module "checkout_api" {
  source = "./modules/fargate-service"

  name                      = "checkout-api"
  cluster_arn               = aws_ecs_cluster.checkout.arn
  vpc_id                    = data.aws_vpc.platform.id
  subnet_ids                = data.aws_subnets.private.ids
  shared_security_group_ids = var.platform_security_group_ids
  image                     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout-api:7.3.0"
  desired_count             = var.desired_count

  ingress = {
    http    = { port = 8080, cidr_blocks = ["10.70.0.0/16"] }
    grpc    = { port = 9090, cidr_blocks = ["10.70.0.0/16"] }
    metrics = { port = 9102, cidr_blocks = ["10.99.0.0/24"] }
  }
}
