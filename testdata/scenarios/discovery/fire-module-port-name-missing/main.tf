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
  services = {
    cart     = { port = 8080, publish = true }
    checkout = { port = 8080, publish = true }
    frontend = { port = 3000, publish = false }
  }
}

resource "aws_service_discovery_http_namespace" "shop" {
  name        = "shop"
  description = "Service Connect namespace for the shop"
}

resource "aws_vpc" "shop" {
  cidr_block = "10.33.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.shop.id
  availability_zone = ["eu-west-1a", "eu-west-1b", "eu-west-1c"][count.index]
  cidr_block        = cidrsubnet(aws_vpc.shop.cidr_block, 6, count.index)
}

resource "aws_ecs_cluster" "shop" {
  name = "shop"

  service_connect_defaults {
    namespace = aws_service_discovery_http_namespace.shop.arn
  }
}

module "svc" {
  source   = "./modules/connected-service"
  for_each = local.services

  name          = each.key
  cluster_arn   = aws_ecs_cluster.shop.arn
  namespace_arn = aws_service_discovery_http_namespace.shop.arn
  subnet_ids    = aws_subnet.private[*].id
  image         = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-${each.key}:1.4.0"
  port          = each.value.port
  publish       = each.value.publish
}
