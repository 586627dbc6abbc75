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

resource "aws_service_discovery_http_namespace" "bank" {
  name = "bank"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_ecs_cluster" "bank" {
  name = "bank"
}

resource "aws_cloudwatch_log_group" "service_connect" {
  name = "/ecs/bank/service-connect"
}

resource "aws_ecs_task_definition" "balances" {
  family                   = "balances"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([{
    name      = "balances"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/balances:6.0.2"
    essential = true
    portMappings = [
      { name = "grpc", containerPort = 9090, protocol = "tcp", appProtocol = "grpc" },
      { name = "metrics", containerPort = 9102, protocol = "tcp" }
    ]
  }])
}

resource "aws_ecs_service" "balances" {
  name            = "balances"
  cluster         = aws_ecs_cluster.bank.id
  task_definition = aws_ecs_task_definition.balances.arn
  desired_count   = 3
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    assign_public_ip = true
  }

  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.bank.arn

    service {
      port_name      = "grpc"
      discovery_name = "balances"

      client_alias {
        port     = 9090
        dns_name = "balances.bank"
      }
    }

    log_configuration {
      log_driver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.service_connect.name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "service-connect"
      }
    }
  }
}
