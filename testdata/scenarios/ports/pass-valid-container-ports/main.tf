terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "sa-east-1"
}

variable "ports" {
  type = map(number)
  default = {
    http    = 80
    https   = 443
    admin   = 9990
    highest = 65535
  }
}

resource "aws_ecs_task_definition" "gateway" {
  family                   = "gateway"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "512"
  memory                   = "1024"

  container_definitions = jsonencode([
    {
      name      = "gateway"
      image     = "123456789012.dkr.ecr.sa-east-1.amazonaws.com/gateway:1.9.0"
      essential = true
      portMappings = concat(
        [for name, port in var.ports : { name = name, containerPort = port, protocol = "tcp" }],
        [{ containerPortRange = "7000-7010", protocol = "tcp" }],
      )
    }
  ])
}
