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

variable "cluster_name" {
  description = "The shared EC2 cluster, run by the platform team."
  type        = string
  default     = "shared-ec2"
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0d1d2d3d4d5d6d701", "subnet-0d1d2d3d4d5d6d702"]
}

data "aws_subnet" "selected" {
  for_each = toset(var.subnet_ids)
  id       = each.value
}

locals {
  vpc_id = one(distinct([for s in data.aws_subnet.selected : s.vpc_id]))
}

resource "aws_security_group" "indexer" {
  name   = "indexer"
  vpc_id = local.vpc_id

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "indexer" {
  family       = "indexer"
  network_mode = "awsvpc"
  cpu          = 1024
  memory       = 2048

  container_definitions = jsonencode([{
    name      = "indexer"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/indexer:8.1.0"
    essential = true
  }])
}

resource "aws_ecs_service" "indexer" {
  name            = "indexer"
  cluster         = var.cluster_name
  task_definition = aws_ecs_task_definition.indexer.arn
  desired_count   = 2
  launch_type     = "EC2"

  network_configuration {
    subnets         = var.subnet_ids
    security_groups = [aws_security_group.indexer.id]
  }
}
