terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "services" {
  type = map(object({
    port   = number
    cpu    = number
    memory = number
  }))
  default = {
    users  = { port = 8080, cpu = 256, memory = 512 }
    emails = { port = 8025, cpu = 256, memory = 512 }
  }
}

resource "aws_vpc" "this" {
  cidr_block           = "10.32.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  for_each          = { a = 0, b = 1 }
  vpc_id            = aws_vpc.this.id
  availability_zone = "us-east-1${each.key}"
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, each.value)
}

resource "aws_security_group" "services" {
  name   = "internal-services"
  vpc_id = aws_vpc.this.id

  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.this.cidr_block]
  }
}

resource "aws_service_discovery_private_dns_namespace" "internal" {
  name = "internal.corp"
  vpc  = aws_vpc.this.id
}

resource "aws_service_discovery_service" "svc" {
  for_each = var.services
  name     = each.key

  dns_config {
    namespace_id = aws_service_discovery_private_dns_namespace.internal.id

    dns_records {
      ttl  = 10
      type = "A"
    }

    routing_policy = "MULTIVALUE"
  }

  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_ecs_cluster" "this" {
  name = "internal"
}

resource "aws_ecs_task_definition" "svc" {
  for_each = var.services

  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory

  container_definitions = jsonencode([{
    name         = each.key
    image        = "123456789012.dkr.ecr.us-east-1.amazonaws.com/${each.key}:stable"
    essential    = true
    portMappings = [{ containerPort = each.value.port }]
  }])
}

resource "aws_ecs_service" "svc" {
  for_each = var.services

  name            = each.key
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.svc[each.key].arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = [for s in aws_subnet.private : s.id]
    security_groups = [aws_security_group.services.id]
  }

  service_registries {
    registry_arn = aws_service_discovery_service.svc[each.key].arn
  }
}
