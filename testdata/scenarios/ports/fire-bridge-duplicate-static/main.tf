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

variable "sidecars" {
  description = "Sidecars added to the web task, with their static host ports."
  type = list(object({
    name      = string
    image     = string
    port      = number
    host_port = number
  }))
  default = [
    { name = "oauth2-proxy", image = "quay.io/oauth2-proxy/oauth2-proxy:v7.7.1", port = 4180, host_port = 8080 },
  ]
}

resource "aws_ecs_task_definition" "web" {
  family       = "intranet-web"
  network_mode = "bridge"
  memory       = "1024"

  container_definitions = jsonencode(concat(
    [{
      name         = "web"
      image        = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/intranet-web:8.2.0"
      essential    = true
      portMappings = [{ containerPort = 80, hostPort = 8080, protocol = "tcp" }]
    }],
    [for s in var.sidecars : {
      name         = s.name
      image        = s.image
      essential    = false
      portMappings = [{ containerPort = s.port, hostPort = s.host_port, protocol = "tcp" }]
    }]
  ))
}
