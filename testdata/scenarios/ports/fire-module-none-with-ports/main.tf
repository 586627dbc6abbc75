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

# Shared container defaults for every service of the team.
locals {
  container_defaults = {
    essential    = true
    portMappings = [{ containerPort = 8080, protocol = "tcp" }]
    ulimits      = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }]
  }
}

# Virus scanning of uploads runs without any network access.
module "scanner" {
  source = "./modules/isolated-job"

  family = "upload-scanner"
  container = merge(local.container_defaults, {
    name    = "scanner"
    image   = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/clamav-scanner:1.4.1"
    command = ["scan", "/uploads"]
  })
}
