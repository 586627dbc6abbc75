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

variable "rtp_first" {
  type    = number
  default = 10000
}

variable "rtp_last" {
  type    = number
  default = 10199
}

locals {
  # Written last-first by mistake.
  turn_range = "49999-49152"
}

resource "aws_ecs_task_definition" "media" {
  family       = "media-relay"
  network_mode = "bridge"
  memory       = "2048"

  container_definitions = jsonencode([
    {
      name      = "rtp"
      image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/rtp-relay:4.2.0"
      essential = true
      portMappings = [
        { containerPortRange = "${var.rtp_first}-${var.rtp_last}", protocol = "udp" },
        # A second block for the same relay, overlapping the first.
        { containerPortRange = "10100-10299", protocol = "udp" },
        # A pinned host port alongside a range.
        { containerPortRange = "5060-5061", hostPort = 5060, protocol = "udp" },
      ]
    },
    {
      name         = "turn"
      image        = "coturn/coturn:4.6.2"
      essential    = true
      portMappings = [{ containerPortRange = local.turn_range, protocol = "udp" }]
    }
  ])
}
