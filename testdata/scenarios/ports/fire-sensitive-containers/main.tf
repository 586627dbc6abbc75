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

# The legacy partner API still takes a static token in the environment.
variable "partner_api_token" {
  type      = string
  sensitive = true
  default   = "CANARY-SENSITIVE-ports-partner-token-7f3a"
}

variable "listen_port" {
  type    = number
  default = 8443
}

locals {
  common_env = [
    { name = "PARTNER_API_TOKEN", value = var.partner_api_token },
    { name = "LISTEN_PORT", value = tostring(var.listen_port) },
  ]
}

resource "aws_ecs_task_definition" "partner_gateway" {
  family                   = "partner-gateway"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "512"
  memory                   = "1024"

  container_definitions = jsonencode([
    {
      name         = "gateway"
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/partner-gateway:3.1.0"
      essential    = true
      environment  = local.common_env
      portMappings = [{ containerPort = var.listen_port }]
    },
    {
      # TLS terminator in front of the gateway, configured on the same port.
      name         = "tls"
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/tls-terminator:1.0.7"
      essential    = true
      environment  = local.common_env
      portMappings = [{ containerPort = var.listen_port }]
    }
  ])
}
