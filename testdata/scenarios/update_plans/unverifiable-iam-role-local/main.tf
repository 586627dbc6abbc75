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

resource "aws_vpc" "this" {
  cidr_block = "10.43.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
}

resource "aws_ecs_cluster" "search" {
  name = "search"
}

module "indexer" {
  source = "./modules/service"

  name          = "indexer"
  cluster_arn   = aws_ecs_cluster.search.arn
  subnet_ids    = aws_subnet.private[*].id
  desired_count = var.desired_count
}
