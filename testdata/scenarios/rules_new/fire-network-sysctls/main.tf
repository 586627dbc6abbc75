terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

# An HAProxy edge in host mode tunes the listen backlog with a container sysctl, which ECS
# does not apply in the instance's network namespace.
resource "aws_ecs_task_definition" "haproxy" {
  family       = "haproxy"
  network_mode = "host"

  container_definitions = jsonencode([{
    name         = "haproxy"
    image        = "public.ecr.aws/docker/library/haproxy:3.0"
    essential    = true
    memory       = 512
    portMappings = [{ containerPort = 443 }]
    systemControls = [
      { namespace = "net.core.somaxconn", value = "4096" }
    ]
  }])
}

# An awsvpc task whose app and sidecar disagree on the keepalive time: the containers share
# one network namespace, and the one started last wins.
resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "123456789012.dkr.ecr.us-west-2.amazonaws.com/api:3.2"
      essential = true
      systemControls = [
        { namespace = "net.ipv4.tcp_keepalive_time", value = "60" }
      ]
    },
    {
      name      = "envoy"
      image     = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.5.0-prod"
      essential = true
      systemControls = [
        { namespace = "net.ipv4.tcp_keepalive_time", value = "600" }
      ]
    }
  ])
}
