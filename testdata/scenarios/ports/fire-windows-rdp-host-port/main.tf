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

variable "published_ports" {
  type = map(number)
  default = {
    "80"   = 8080
    "3389" = 3389
  }
}

# Windows default (nat) mode: static host ports on the instance. The vendor's guide
# publishes RDP for support sessions.
resource "aws_ecs_task_definition" "erp_client" {
  family = "erp-client"
  cpu    = "2048"
  memory = "4096"

  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_FULL"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name         = "erp"
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/erp-client:11.2-ltsc2022"
      essential    = true
      portMappings = [for c, h in var.published_ports : { containerPort = tonumber(c), hostPort = h }]
    }
  ])
}
