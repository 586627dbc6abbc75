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

locals {
  agents = {
    apm = {
      image = "public.ecr.aws/datadog/agent:7.59.0"
      ports = [{ containerPort = 8126, hostPort = 8126, protocol = "tcp" }]
    }
    # Copied from a bridge task definition where 0 meant "any free port".
    statsd = {
      image = "public.ecr.aws/docker/library/telegraf:1.32"
      ports = [{ containerPort = 8125, hostPort = 0, protocol = "udp" }]
    }
  }
}

module "agent" {
  source   = "./modules/agent"
  for_each = local.agents

  name          = each.key
  image         = each.value.image
  port_mappings = each.value.ports
}
