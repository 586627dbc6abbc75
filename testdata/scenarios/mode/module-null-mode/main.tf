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

locals {
  registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
}

# An EC2 queue worker: the module's network_mode defaults to null, so ECS uses bridge.
module "worker" {
  source = "./modules/ecs-task"

  family = "queue-worker"
  image  = "${local.registry}/queue-worker:5.1.0"
  memory = 512
}

# A Fargate exporter written with the same module; nobody passed network_mode, so the
# task definition has none, which Fargate rejects.
module "exporter" {
  source = "./modules/ecs-task"

  family                   = "cost-exporter"
  image                    = "${local.registry}/cost-exporter:0.9.4"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  port                     = 9400
}
