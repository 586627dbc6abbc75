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

locals {
  grpc_port = 50051
}

resource "aws_vpc" "mesh" {
  cidr_block           = "10.31.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.mesh.id
  availability_zone = "eu-west-1${element(["a", "b"], count.index)}"
  cidr_block        = cidrsubnet(aws_vpc.mesh.cidr_block, 8, count.index)
}

resource "aws_service_discovery_private_dns_namespace" "internal" {
  name = "internal.example"
  vpc  = aws_vpc.mesh.id
}

resource "aws_service_discovery_service" "pricing" {
  name = "pricing"

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.internal.id
    routing_policy = "MULTIVALUE"

    dns_records {
      ttl  = 10
      type = "SRV"
    }
  }

  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_ecs_cluster" "mesh" {
  name = "mesh"
}

resource "aws_ecs_task_definition" "pricing" {
  family                   = "pricing"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name         = "pricing"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/pricing:3.9.1"
    essential    = true
    portMappings = [{ containerPort = local.grpc_port, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "pricing" {
  name            = "pricing"
  cluster         = aws_ecs_cluster.mesh.id
  task_definition = aws_ecs_task_definition.pricing.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = aws_subnet.private[*].id
  }

  # Belt and braces: both the container and the port.
  service_registries {
    registry_arn   = aws_service_discovery_service.pricing.arn
    port           = local.grpc_port
    container_name = "pricing"
    container_port = local.grpc_port
  }
}
