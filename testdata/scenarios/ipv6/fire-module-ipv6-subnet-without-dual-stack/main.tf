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

variable "desired_count" {
  type    = number
  default = 2
}

module "vpc" {
  source = "./modules/dualstack-vpc"

  name = "edge-v6"
  cidr = "10.37.0.0/16"
  azs  = ["eu-west-1a", "eu-west-1b"]
}

resource "aws_ecs_cluster" "edge" {
  name = "edge"
}

# IPv6 clients are the point of this service, but nothing enables dualStackIPv6 for ECS.
module "resolver" {
  source = "./modules/service"

  name          = "resolver"
  cluster_arn   = aws_ecs_cluster.edge.arn
  subnet_ids    = module.vpc.private_subnet_ids
  image         = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/resolver:2.0.0"
  desired_count = var.desired_count
}
