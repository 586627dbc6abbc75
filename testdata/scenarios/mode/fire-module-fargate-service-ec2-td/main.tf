terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
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

resource "aws_ecs_cluster" "jobs" {
  name = "jobs"
}

# The worker module was written for the EC2 cluster; this stack runs it on Fargate to
# save the instances.
module "thumbnailer" {
  source = "./modules/worker"

  name        = "thumbnailer"
  cluster_arn = aws_ecs_cluster.jobs.arn
  image       = "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/thumbnailer:3.0.2"
  launch_type = "FARGATE"
  subnet_ids  = data.aws_subnets.default.ids
}
