terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-west-2"
}

resource "aws_ecs_cluster" "partners" {
  name = "partners"
}

# Partners upload over SFTP on the standard port.
module "sftp" {
  source = "./modules/bridge-service"

  name        = "partner-sftp"
  cluster_id  = aws_ecs_cluster.partners.id
  image       = "atmoz/sftp:alpine"
  ports       = { sftp = { container = 22, host = 22 } }
  desired_cnt = 1
}
