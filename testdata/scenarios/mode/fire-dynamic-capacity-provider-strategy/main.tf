terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "ap-southeast-2"
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

resource "aws_ecs_cluster" "apps" {
  name = "apps"
}

resource "aws_ecs_cluster_capacity_providers" "apps" {
  cluster_name       = aws_ecs_cluster.apps.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
}

locals {
  spot_heavy = [
    { provider = "FARGATE", weight = 1, base = 1 },
    { provider = "FARGATE_SPOT", weight = 4, base = 0 },
  ]
}

module "crawler" {
  source = "./modules/service"

  name        = "crawler"
  cluster_arn = aws_ecs_cluster.apps.arn
  image       = "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/crawler:2.2.2"
  strategy    = local.spot_heavy
  subnet_ids  = data.aws_subnets.default.ids
}
