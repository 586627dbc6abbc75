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
  name = "bookinfo"
  azs  = ["eu-west-1a", "eu-west-1b"]

  services = {
    reviews = { port = 9080, desired = 3 }
    ratings = { port = 9080, desired = 3 }
  }
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

module "vpc" {
  source = "./modules/vpc"
  cidr   = "10.170.0.0/16"
  azs    = local.azs
}

module "ecs_cluster" {
  source = "./modules/cluster"

  cluster_name = local.name
  subnet_ids   = module.vpc.private_subnets

  ec2_pools = {
    ex_1 = { instance_type = "m5.large", max_size = 2, weight = 60, base = 1 }
    ex_2 = { instance_type = "c5.large", max_size = 2, weight = 40 }
  }
}

module "ecs_service" {
  source   = "./modules/service"
  for_each = local.services

  name                       = each.key
  cluster_arn                = module.ecs_cluster.cluster_arn
  subnet_ids                 = module.vpc.private_subnets
  container_image            = "docker.io/istio/examples-bookinfo-${each.key}-v1:1.20.1"
  container_port             = each.value.port
  desired_count              = each.value.desired
  deployment_maximum_percent = 150

  capacity_provider_strategy = {
    for k, cp in module.ecs_cluster.capacity_providers : k => {
      capacity_provider = cp
      weight            = k == "ex_1" ? 60 : 40
      base              = k == "ex_1" ? 1 : null
    }
  }
}
