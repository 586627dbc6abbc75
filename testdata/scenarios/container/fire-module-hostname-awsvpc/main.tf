terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "CANARY-SENSITIVE-container-db-password-91c2"
}

module "accounts" {
  source = "./modules/service"

  name         = "accounts"
  image        = "123456789012.dkr.ecr.us-west-2.amazonaws.com/accounts:4.4.0"
  network_mode = "awsvpc"
  port         = 8080
  environment = {
    DB_HOST     = "accounts.cluster-abc123.us-west-2.rds.amazonaws.com"
    DB_PASSWORD = var.db_password
  }
}
