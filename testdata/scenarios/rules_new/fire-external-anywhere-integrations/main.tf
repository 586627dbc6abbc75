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

# Factory-floor sensors run on on-premises servers registered with ECS Anywhere (SSM
# activation outside Terraform). The team wired the service like its cloud services.
data "aws_vpc" "default" {
  default = true
}

resource "aws_ecs_cluster" "factory" {
  name = "factory-edge"
}

resource "aws_ecs_task_definition" "sensor" {
  family                   = "sensor-gateway"
  network_mode             = "bridge"
  requires_compatibilities = ["EXTERNAL"]
  memory                   = 512

  container_definitions = jsonencode([{
    name         = "gateway"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/sensor-gateway:4.0"
    essential    = true
    portMappings = [{ containerPort = 1883, hostPort = 1883 }]
  }])
}

# A second definition for the same hosts, written for awsvpc.
resource "aws_ecs_task_definition" "collector" {
  family                   = "collector"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EXTERNAL"]
  memory                   = 256

  container_definitions = jsonencode([{
    name      = "collector"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/collector:1.9"
    essential = true
  }])
}

resource "aws_lb_target_group" "mqtt" {
  name     = "factory-mqtt"
  port     = 1883
  protocol = "TCP"
  vpc_id   = data.aws_vpc.default.id
}

resource "aws_service_discovery_private_dns_namespace" "factory" {
  name = "factory.internal"
  vpc  = data.aws_vpc.default.id
}

resource "aws_service_discovery_service" "gateway" {
  name = "gateway"

  dns_config {
    namespace_id = aws_service_discovery_private_dns_namespace.factory.id

    dns_records {
      ttl  = 10
      type = "SRV"
    }
  }
}

resource "aws_service_discovery_http_namespace" "factory" {
  name = "factory"
}

resource "aws_ecs_service" "sensor" {
  name            = "sensor-gateway"
  cluster         = aws_ecs_cluster.factory.id
  task_definition = aws_ecs_task_definition.sensor.arn
  desired_count   = 3
  launch_type     = "EXTERNAL"

  load_balancer {
    target_group_arn = aws_lb_target_group.mqtt.arn
    container_name   = "gateway"
    container_port   = 1883
  }

  service_registries {
    registry_arn   = aws_service_discovery_service.gateway.arn
    container_name = "gateway"
    container_port = 1883
  }

  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.factory.arn
  }
}
