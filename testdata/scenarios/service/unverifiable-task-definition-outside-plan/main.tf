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

# The CI pipeline registers task definitions; Terraform only owns the service.
variable "task_family" {
  type    = string
  default = "billing-worker"
}

variable "task_revision" {
  type    = number
  default = 12
}

variable "cluster_name" {
  type    = string
  default = "billing"
}

resource "aws_ecs_cluster" "billing" {
  name = var.cluster_name
}

resource "aws_ecs_service" "worker" {
  name                = "billing-worker"
  cluster             = aws_ecs_cluster.billing.id
  task_definition     = "${var.task_family}:${var.task_revision}"
  desired_count       = 3
  launch_type         = "EC2"
  scheduling_strategy = "REPLICA"

  ordered_placement_strategy {
    type  = "spread"
    field = "attribute:ecs.availability-zone"
  }

  lifecycle {
    ignore_changes = [task_definition]
  }
}
