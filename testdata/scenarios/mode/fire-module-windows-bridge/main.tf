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

# The team's Linux services all use bridge with dynamic ports; the same default was
# carried over to the Windows stack.
variable "network_mode" {
  type    = string
  default = "bridge"
}

module "claims_portal" {
  source = "./modules/windows-task"

  family       = "claims-portal"
  image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/claims-portal:4.6.0-ltsc2019"
  network_mode = var.network_mode
  os_family    = "WINDOWS_SERVER_2019_CORE"
}
