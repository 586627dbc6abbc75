terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "environment" {
  type    = string
  default = "staging"
}

# One task definition per workload; network_mode null means "leave it to ECS" (bridge on
# Linux EC2).
locals {
  workloads = {
    web = {
      network_mode = "awsvpc"
      image        = "public.ecr.aws/nginx/nginx:1.27"
      ports        = [{ containerPort = 80, protocol = "tcp" }]
    }
    legacy = {
      network_mode = "bridge"
      image        = "public.ecr.aws/docker/library/httpd:2.4"
      ports        = [{ containerPort = 80, hostPort = 0, protocol = "tcp" }]
    }
    metrics = {
      network_mode = "host"
      image        = "quay.io/prometheus/node-exporter:v1.8.2"
      ports        = [{ containerPort = 9100, hostPort = 9100, protocol = "tcp" }]
    }
    reindex = {
      network_mode = "none"
      image        = "public.ecr.aws/docker/library/busybox:1.36"
      ports        = []
    }
    cron = {
      network_mode = null
      image        = "public.ecr.aws/docker/library/alpine:3.20"
      ports        = [{ containerPort = 8080, protocol = "tcp" }]
    }
  }
}

resource "aws_ecs_task_definition" "workload" {
  for_each = local.workloads

  family       = "${var.environment}-${each.key}"
  network_mode = each.value.network_mode
  memory       = "256"

  container_definitions = jsonencode([
    {
      name         = each.key
      image        = each.value.image
      essential    = true
      portMappings = each.value.ports
    }
  ])

  tags = {
    Environment = var.environment
  }
}

# Written without network_mode at all: ECS uses bridge.
resource "aws_ecs_task_definition" "janitor" {
  family = "${var.environment}-janitor"
  memory = "128"

  container_definitions = jsonencode([
    {
      name      = "janitor"
      image     = "public.ecr.aws/docker/library/alpine:3.20"
      essential = true
      command   = ["sh", "-c", "find /scratch -mtime +7 -delete"]
    }
  ])
}
