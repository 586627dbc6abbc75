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

module "resolver" {
  source = "./modules/resolver"

  name      = "internal-dns"
  image     = "coredns/coredns:1.11.3"
  port      = 53
  protocols = ["udp", "tcp"]
}
