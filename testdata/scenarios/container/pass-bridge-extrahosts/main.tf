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

variable "onprem_hosts" {
  type = map(string)
  default = {
    "sap.corp.example" = "10.200.4.17"
  }
}

resource "aws_ecs_task_definition" "invoice_sync" {
  family                   = "invoice-sync"
  network_mode             = "bridge"
  requires_compatibilities = ["EC2"]
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name             = "invoice-sync"
      image            = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/invoice-sync:2.0.9"
      essential        = true
      extraHosts       = [for h, ip in var.onprem_hosts : { hostname = h, ipAddress = ip }]
      dnsServers       = ["10.200.0.2", "10.200.0.3"]
      dnsSearchDomains = ["corp.example"]
    }
  ])
}
