terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "ap-south-1"
}

variable "deployment" {
  description = "Rolling deployment settings for every service of the stack."
  type = object({
    maximum_percent         = number
    minimum_healthy_percent = number
  })
  default = {
    maximum_percent         = 200
    minimum_healthy_percent = 100
  }
}

variable "gateway_count" {
  type    = number
  default = 3
}

module "stack" {
  source = "./modules/stack"

  name       = "ingress"
  vpc_cidr   = "10.130.0.0/16"
  azs        = ["ap-south-1a", "ap-south-1b", "ap-south-1c"]
  instances  = 3
  deployment = var.deployment

  services = {
    gateway = {
      image         = "public.ecr.aws/docker/library/traefik:v3.1"
      ports         = [80, 443]
      desired_count = var.gateway_count
    }
  }
}
