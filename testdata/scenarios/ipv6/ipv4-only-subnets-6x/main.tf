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

variable "gateway_count" {
  type    = number
  default = 2
}

locals {
  cidr = "10.46.0.0/16"
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

resource "aws_security_group" "gateway" {
  name   = "boleto-gateway"
  vpc_id = aws_vpc.this.id
}

resource "aws_ecs_cluster" "this" {
  name = "boleto"
}

resource "aws_ecs_task_definition" "gateway" {
  family                   = "boleto-gateway"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([{
    name         = "gateway"
    image        = "123456789012.dkr.ecr.sa-east-1.amazonaws.com/boleto-gateway:1.3.0"
    essential    = true
    portMappings = [{ containerPort = 8443 }]
  }])
}

resource "aws_ecs_service" "gateway" {
  name            = "boleto-gateway"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.gateway.arn
  desired_count   = var.gateway_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.gateway.id]
  }
}
