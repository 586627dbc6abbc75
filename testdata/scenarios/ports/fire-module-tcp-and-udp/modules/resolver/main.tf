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

variable "port" {
  type = number
}

variable "protocols" {
  type    = list(string)
  default = ["udp"]
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name         = "coredns"
      image        = var.image
      essential    = true
      command      = ["-conf", "/etc/coredns/Corefile"]
      portMappings = [for proto in var.protocols : { containerPort = var.port, protocol = proto }]
    }
  ])
}
