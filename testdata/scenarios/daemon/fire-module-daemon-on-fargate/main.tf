terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
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

resource "aws_ecs_cluster" "this" {
  name = "apps"
}

resource "aws_cloudwatch_log_group" "apps" {
  name              = "/apps/all"
  retention_in_days = 30
}

# "One log router per host", as on the old EC2 cluster, but the module defaults to Fargate.
module "log_router" {
  source = "./modules/log-router"

  cluster_arn         = aws_ecs_cluster.this.arn
  scheduling_strategy = "DAEMON"
  subnet_ids          = data.aws_subnets.default.ids
  destination         = aws_cloudwatch_log_group.apps.name
}
