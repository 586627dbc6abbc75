terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-west-3"
}

variable "desired_count" {
  type    = number
  default = 3
}

locals {
  name = "gateway"
  azs  = ["eu-west-3a", "eu-west-3b"]

  # One group per concern, as the security team asks; five is the awsvpc limit.
  security_groups = {
    ingress-http  = { port = 8080, cidr = "10.50.0.0/16" }
    ingress-admin = { port = 8081, cidr = "10.99.1.0/24" }
    metrics       = { port = 9102, cidr = "10.99.2.0/24" }
    health        = { port = 8082, cidr = "10.50.0.0/16" }
    debug         = { port = 5005, cidr = "10.99.3.0/24" }
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 4, count.index)
}

resource "aws_security_group" "this" {
  for_each = local.security_groups

  name_prefix = "${local.name}-${each.key}-"
  vpc_id      = aws_vpc.this.id

  ingress {
    from_port   = each.value.port
    to_port     = each.value.port
    protocol    = "tcp"
    cidr_blocks = [each.value.cidr]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048

  container_definitions = jsonencode([{
    name      = local.name
    image     = "123456789012.dkr.ecr.eu-west-3.amazonaws.com/gateway:12.0.1"
    essential = true
    portMappings = [
      for k, v in local.security_groups : { containerPort = v.port, protocol = "tcp" }
    ]
  }])
}

resource "aws_ecs_service" "this" {
  name            = local.name
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = values(aws_security_group.this)[*].id
  }
}
