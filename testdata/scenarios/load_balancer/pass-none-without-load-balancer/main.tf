terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "batch_image" {
  type    = string
  default = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/pdf-render:2.6.0"
}

resource "aws_ecs_cluster" "batch" {
  name = "batch"
}

# Renders PDFs from a shared spool directory; it must never talk to the network.
resource "aws_ecs_task_definition" "render" {
  family       = "pdf-render"
  network_mode = "none"

  volume {
    name      = "spool"
    host_path = "/mnt/efs/pdf-spool"
  }

  container_definitions = jsonencode([{
    name      = "render"
    image     = var.batch_image
    memory    = 1024
    essential = true
    mountPoints = [{
      sourceVolume  = "spool"
      containerPath = "/spool"
    }]
  }])
}

resource "aws_ecs_service" "render" {
  name            = "pdf-render"
  cluster         = aws_ecs_cluster.batch.id
  task_definition = aws_ecs_task_definition.render.arn
  desired_count   = 3
  launch_type     = "EC2"
}
