terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "ap-southeast-2"
}

locals {
  apps = {
    thumbnails = { image = "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/thumbnails:4.1", port = 8080 }
    exporter   = { image = "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/exporter:0.9", port = 9100, memory = 128 }
  }
}

resource "aws_ecs_cluster" "media" {
  name = "media"
}

module "app" {
  source   = "./modules/ecs-app"
  for_each = local.apps

  name      = each.key
  cluster   = aws_ecs_cluster.media.id
  container = each.value
}
