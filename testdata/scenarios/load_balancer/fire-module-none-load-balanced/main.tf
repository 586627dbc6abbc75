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
  services = {
    api = {
      network_mode = "bridge"
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ledger-api:1.2.0"
    }
    # Offline reconciliation: locked down with network_mode none, but still given the module's target group.
    reconciler = {
      network_mode = "none"
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ledger-reconciler:1.2.0"
    }
  }
}

data "aws_vpc" "default" {
  default = true
}

resource "aws_lb_target_group" "svc" {
  for_each = local.services

  name     = "ledger-${each.key}"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = data.aws_vpc.default.id
}

resource "aws_ecs_cluster" "ledger" {
  name = "ledger"
}

module "svc" {
  source   = "./modules/ec2-service"
  for_each = local.services

  name             = "ledger-${each.key}"
  cluster_id       = aws_ecs_cluster.ledger.id
  network_mode     = each.value.network_mode
  image            = each.value.image
  target_group_arn = aws_lb_target_group.svc[each.key].arn
}
