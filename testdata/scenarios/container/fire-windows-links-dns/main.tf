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

variable "corp_dns" {
  type    = list(string)
  default = ["10.10.0.10", "10.10.0.11"]
}

locals {
  windows = {
    operating_system_family = "WINDOWS_SERVER_2019_FULL"
    cpu_architecture        = "X86_64"
  }
}

# Ported from the Linux docker-compose file of the product: links and DNS settings came
# along. Windows default (nat) mode.
resource "aws_ecs_task_definition" "portal" {
  family = "dealer-portal"
  cpu    = "2048"
  memory = "4096"

  runtime_platform {
    operating_system_family = local.windows.operating_system_family
    cpu_architecture        = local.windows.cpu_architecture
  }

  container_definitions = jsonencode([
    {
      name         = "portal"
      image        = "123456789012.dkr.ecr.us-east-1.amazonaws.com/dealer-portal:3.0-ltsc2019"
      essential    = true
      links        = ["pricing"]
      dnsServers   = var.corp_dns
      portMappings = [{ containerPort = 80, hostPort = 8080 }]
    },
    {
      name      = "pricing"
      image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/dealer-pricing:3.0-ltsc2019"
      essential = true
    }
  ])
}
