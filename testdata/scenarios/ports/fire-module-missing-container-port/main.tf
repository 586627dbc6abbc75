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

# The admin port was added as a raw mapping with only its host side.
module "webhook" {
  source = "./modules/svc"

  name                = "webhook"
  image               = "${local.registry}/webhook:2.4.0"
  container_port      = 8080
  extra_port_mappings = [{ hostPort = 9000, protocol = "tcp" }]
}

# container_port was never passed, so the module's default of 0 is used.
module "feeds" {
  source = "./modules/svc"

  name  = "feeds"
  image = "${local.registry}/feeds:0.12.0"
}

module "search" {
  source = "./modules/svc"

  name           = "search"
  image          = "${local.registry}/search:3.0.0"
  container_port = 9200
}
