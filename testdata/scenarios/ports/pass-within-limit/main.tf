terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "passive_ports" {
  description = "First and count of the FTP passive port range."
  type        = object({ first = number, count = number })
  default     = { first = 30000, count = 93 }
}

resource "aws_ecs_cluster" "files" {
  name = "files"
}

# 1 + 93 = 94 static host ports: with the 6 reserved ports exactly 100.
resource "aws_ecs_task_definition" "ftp" {
  family       = "ftp"
  network_mode = "host"
  memory       = "512"

  container_definitions = jsonencode([
    {
      name      = "vsftpd"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/vsftpd:3.0.5"
      essential = true
      portMappings = concat(
        [{ containerPort = 21 }],
        [for p in range(var.passive_ports.first, var.passive_ports.first + var.passive_ports.count) : { containerPort = p }],
      )
    }
  ])
}

# 200 dynamic mappings do not count against the limit.
resource "aws_ecs_task_definition" "fanout" {
  family       = "webhook-fanout"
  network_mode = "bridge"
  memory       = "1024"

  container_definitions = jsonencode([
    {
      name         = "fanout"
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/webhook-fanout:1.2.0"
      essential    = true
      portMappings = [for p in range(40000, 40200) : { containerPort = p, hostPort = 0 }]
    }
  ])
}

resource "aws_ecs_service" "ftp" {
  name            = "ftp"
  cluster         = aws_ecs_cluster.files.id
  task_definition = aws_ecs_task_definition.ftp.arn
  desired_count   = 1
  launch_type     = "EC2"
}

resource "aws_ecs_service" "fanout" {
  name            = "webhook-fanout"
  cluster         = aws_ecs_cluster.files.id
  task_definition = aws_ecs_task_definition.fanout.arn
  desired_count   = 2
  launch_type     = "EC2"
}
