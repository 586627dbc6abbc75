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

variable "cache_count" {
  type    = number
  default = 2
}

data "aws_vpc" "default" {
  default = true
}

resource "aws_service_discovery_private_dns_namespace" "svc" {
  name        = "svc.local"
  description = "Service discovery for the EC2 cluster"
  vpc         = data.aws_vpc.default.id
}

# The namespace's standard service: A records, as for the Fargate services.
resource "aws_service_discovery_service" "cache" {
  name = "cache"

  dns_config {
    namespace_id = aws_service_discovery_private_dns_namespace.svc.id

    dns_records {
      ttl  = 15
      type = "A"
    }
  }
}

resource "aws_ecs_cluster" "apps" {
  name = "apps"
}

module "cache" {
  source = "./modules/ecs-service"
  count  = 1

  name          = "cache"
  cluster_id    = aws_ecs_cluster.apps.id
  image         = "memcached:1.6.29"
  port          = 11211
  desired_count = var.cache_count

  discovery = {
    registry_arn = aws_service_discovery_service.cache.arn
  }
}
