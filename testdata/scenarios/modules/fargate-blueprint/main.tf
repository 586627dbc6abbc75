terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

variable "services" {
  type = map(object({
    image          = string
    container_port = number
    desired_count  = number
    spot_weight    = optional(number, 0)
  }))
  default = {
    frontend = {
      image          = "public.ecr.aws/aws-containers/ecsdemo-frontend:latest"
      container_port = 3000
      desired_count  = 3
    }
    catalog = {
      image          = "public.ecr.aws/aws-containers/ecsdemo-nodejs:latest"
      container_port = 3000
      desired_count  = 2
      spot_weight    = 2
    }
  }
}

module "vpc" {
  source   = "./modules/vpc"
  name     = "fargate-demo"
  cidr     = "10.160.0.0/16"
  az_count = 3
}

resource "aws_ecs_cluster" "this" {
  name = "fargate-demo"

  setting {
    name  = "containerInsights"
    value = "enhanced"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

module "alb" {
  source  = "./modules/alb"
  name    = "fargate-demo"
  vpc_id  = module.vpc.vpc_id
  subnets = module.vpc.public_subnets
  target_groups = {
    for k, v in var.services : k => { port = v.container_port, health_check_path = "/health" }
  }
}

module "service" {
  source   = "./modules/fargate-service"
  for_each = var.services

  name                  = each.key
  cluster_arn           = aws_ecs_cluster.this.arn
  vpc_id                = module.vpc.vpc_id
  subnet_ids            = module.vpc.private_subnets
  image                 = each.value.image
  container_port        = each.value.container_port
  desired_count         = each.value.desired_count
  spot_weight           = each.value.spot_weight
  target_group_arn      = module.alb.target_group_arns[each.key]
  alb_security_group_id = module.alb.security_group_id
  environment = {
    SERVICE_NAME = each.key
  }
}
