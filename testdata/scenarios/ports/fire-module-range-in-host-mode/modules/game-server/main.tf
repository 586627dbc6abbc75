terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "name" {
  type = string
}

variable "image" {
  type = string
}

variable "network_mode" {
  type    = string
  default = "bridge"
}

variable "game_ports" {
  type        = string
  description = "UDP port range of the game server, first-last."
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = var.network_mode
  memory       = "4096"

  container_definitions = jsonencode([
    {
      name      = var.name
      image     = var.image
      essential = true
      portMappings = [
        { containerPortRange = var.game_ports, protocol = "udp" },
        { containerPort = 27050, protocol = "tcp" },
      ]
    }
  ])
}
