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

# udp 53 and tcp 5353 in the resolver, tcp 53 in a separate zone-transfer container.
resource "aws_ecs_task_definition" "dns" {
  family       = "dns"
  network_mode = "bridge"
  memory       = "512"

  container_definitions = jsonencode([
    {
      name      = "resolver"
      image     = "coredns/coredns:1.11.3"
      essential = true
      portMappings = [
        { containerPort = 53, hostPort = 53, protocol = "udp" },
        { containerPort = 5353, hostPort = 5353, protocol = "tcp" },
      ]
    },
    {
      name         = "axfr"
      image        = "internetsystemsconsortium/bind9:9.20"
      essential    = false
      portMappings = [{ containerPort = 53, hostPort = 53, protocol = "tcp" }]
    },
  ])
}
