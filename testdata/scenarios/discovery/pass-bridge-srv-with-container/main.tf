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

variable "vpc_id" {
  type    = string
  default = "vpc-0abcabcabcabcabc1"
}

variable "cluster_name" {
  type    = string
  default = "workers"
}

resource "aws_service_discovery_private_dns_namespace" "workers" {
  name = "workers.internal"
  vpc  = var.vpc_id
}

resource "aws_service_discovery_service" "statsd" {
  name = "statsd"

  dns_config {
    namespace_id = aws_service_discovery_private_dns_namespace.workers.id

    dns_records {
      ttl  = 30
      type = "SRV"
    }
  }
}

resource "aws_ecs_cluster" "workers" {
  name = var.cluster_name
}

resource "aws_ecs_task_definition" "statsd" {
  family       = "statsd"
  network_mode = "bridge"

  container_definitions = jsonencode([{
    name              = "statsd"
    image             = "statsd/statsd:v0.10.2"
    memoryReservation = 128
    essential         = true
    portMappings = [
      { containerPort = 8125, protocol = "udp" },
      { containerPort = 8126, protocol = "tcp" }
    ]
  }])
}

resource "aws_ecs_service" "statsd" {
  name            = "statsd"
  cluster         = aws_ecs_cluster.workers.id
  task_definition = aws_ecs_task_definition.statsd.arn
  desired_count   = 2
  launch_type     = "EC2"

  service_registries {
    registry_arn   = aws_service_discovery_service.statsd.arn
    container_name = "statsd"
    container_port = 8126
  }
}
