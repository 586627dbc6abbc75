terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "sa-east-1"
}

locals {
  cidr = "10.43.0.0/16"
  azs  = ["sa-east-1a", "sa-east-1c"]
}

resource "aws_vpc" "this" {
  cidr_block = local.cidr
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(local.cidr, 4, count.index)
}

resource "aws_ecs_cluster" "this" {
  name = "pix"
}

resource "aws_ecs_task_definition" "pix" {
  family                   = "pix-gateway"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([{
    name         = "gateway"
    image        = "123456789012.dkr.ecr.sa-east-1.amazonaws.com/pix-gateway:4.0.1"
    essential    = true
    portMappings = [{ containerPort = 8443 }]
  }])
}

resource "aws_ecs_service" "pix" {
  name            = "pix-gateway"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.pix.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}
