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

# A passive FTP server needs its whole passive port range published.
module "ftp" {
  source = "./modules/host-task"

  name       = "legacy-ftp"
  image      = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/vsftpd:3.0.5"
  tcp_ports  = concat([21], range(30000, 30094))
  cpu_units  = 512
  memory_mib = 512
}
