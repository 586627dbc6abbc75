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

variable "node_instance_type" {
  type    = string
  default = "m6g.medium"
}

variable "api_desired_count" {
  type    = number
  default = 2
}

resource "aws_vpc" "this" {
  cidr_block = "10.150.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

module "cluster" {
  source = "./modules/cluster"

  name           = "arm-apps"
  vpc_subnet_ids = aws_subnet.private[*].id
  instance_type  = var.node_instance_type
  max_size       = 4
}

module "services" {
  source = "./modules/ecs-service"
  for_each = {
    node-exporter = { strategy = "DAEMON", image = "quay.io/prometheus/node-exporter:v1.8.2" }
    api           = { strategy = "REPLICA", image = "public.ecr.aws/docker/library/golang:1.22" }
  }

  name                = each.key
  cluster_arn         = module.cluster.cluster_arn
  subnet_ids          = aws_subnet.private[*].id
  image               = each.value.image
  scheduling_strategy = each.value.strategy
  desired_count       = var.api_desired_count
  capacity_provider   = module.cluster.capacity_provider
}
