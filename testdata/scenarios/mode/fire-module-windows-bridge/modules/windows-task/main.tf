terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "family" {
  type = string
}

variable "image" {
  type = string
}

variable "network_mode" {
  type    = string
  default = null
}

variable "os_family" {
  type    = string
  default = "WINDOWS_SERVER_2022_CORE"
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.family
  network_mode             = var.network_mode
  requires_compatibilities = ["EC2"]
  cpu                      = "1024"
  memory                   = "2048"

  runtime_platform {
    operating_system_family = var.os_family
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name      = "web"
      image     = var.image
      essential = true
      cpu       = 1024
      memory    = 2048
      portMappings = [
        { containerPort = 80, hostPort = 0, protocol = "tcp" }
      ]
      entryPoint = ["powershell", "-Command"]
      command    = ["C:\\ServiceMonitor.exe w3svc"]
    }
  ])
}
