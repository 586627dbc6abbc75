terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-central-1"
}

variable "legacy_host_port" {
  type    = number
  default = 80
}

locals {
  apps = {
    legacy-portal = {
      image          = "public.ecr.aws/docker/library/tomcat:9"
      container_port = 8080
      host_port      = var.legacy_host_port
      desired_count  = 4
      enabled        = true
    }
    status-page = {
      image          = "public.ecr.aws/docker/library/nginx:1.27"
      container_port = 80
      host_port      = 0
      desired_count  = 2
      enabled        = true
    }
    old-admin = {
      image          = "public.ecr.aws/docker/library/nginx:1.27"
      container_port = 80
      host_port      = 80
      desired_count  = 1
      enabled        = false
    }
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.120.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = "eu-central-1${["a", "b", "c"][count.index]}"
}

module "cluster" {
  source = "./modules/ec2-cluster"

  name          = "legacy"
  subnet_ids    = aws_subnet.private[*].id
  instance_type = "m5.large"
  max_size      = 3
}

module "app" {
  source   = "./modules/app"
  for_each = local.apps

  create         = each.value.enabled
  name           = each.key
  cluster_id     = module.cluster.cluster_id
  image          = each.value.image
  container_port = each.value.container_port
  host_port      = each.value.host_port
  desired_count  = each.value.desired_count
}
