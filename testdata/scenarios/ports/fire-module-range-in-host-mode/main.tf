terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-central-1"
}

# Dedicated game servers: host networking for latency, one task per instance.
module "arena" {
  source = "./modules/game-server"

  name         = "arena"
  image        = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/arena-server:0.77.1"
  network_mode = "host"
  game_ports   = "27015-27030"
}
