terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

module "orders" {
  source = "./modules/app"

  name  = "orders"
  image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:2.8.0"
  port  = 8080

  # The auth sidecar's default port is 8080 too.
  sidecars = {
    auth = { image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/auth-proxy:1.3.0" }
  }
}

module "catalog" {
  source = "./modules/app"

  name  = "catalog"
  image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/catalog:4.0.2"
  port  = 8080

  sidecars = {
    auth = { image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/auth-proxy:1.3.0", port = 9080 }
  }
}
