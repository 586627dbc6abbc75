terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-west-2"
}

locals {
  sftp_image = "atmoz/sftp:alpine"
}

# SSH moved to 2222 on the host.
resource "aws_ecs_task_definition" "sftp_static" {
  family       = "sftp-static"
  network_mode = "bridge"
  memory       = "256"

  container_definitions = jsonencode([{
    name         = "sftp"
    image        = local.sftp_image
    essential    = true
    portMappings = [{ containerPort = 22, hostPort = 2222 }]
  }])
}

# Container port 22 with a dynamic host port (behind an NLB).
resource "aws_ecs_task_definition" "sftp_dynamic" {
  family       = "sftp-dynamic"
  network_mode = "bridge"
  memory       = "256"

  container_definitions = jsonencode([{
    name         = "sftp"
    image        = local.sftp_image
    essential    = true
    portMappings = [{ containerPort = 22 }]
  }])
}

# awsvpc: port 22 lives on the task's own ENI.
resource "aws_ecs_task_definition" "sftp_awsvpc" {
  family                   = "sftp-awsvpc"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([{
    name         = "sftp"
    image        = local.sftp_image
    essential    = true
    portMappings = [{ containerPort = 22 }]
  }])
}

# UDP 22 is not reserved (ECS_RESERVED_PORTS_UDP is empty by default).
resource "aws_ecs_task_definition" "syslog" {
  family       = "syslog-relay"
  network_mode = "host"
  memory       = "128"

  container_definitions = jsonencode([{
    name         = "relay"
    image        = "balabit/syslog-ng:4.8.0"
    essential    = true
    portMappings = [{ containerPort = 22, protocol = "udp" }, { containerPort = 514, protocol = "udp" }]
  }])
}
