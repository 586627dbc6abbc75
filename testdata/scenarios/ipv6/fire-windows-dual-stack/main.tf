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

resource "aws_ecs_account_setting_default" "dual_stack" {
  name  = "dualStackIPv6"
  value = "enabled"
}

data "aws_subnet" "app" {
  for_each = toset(["subnet-0b7b7b7b7b7b7a001", "subnet-0b7b7b7b7b7b7a002"])
  id       = each.value
}

resource "aws_ecs_cluster" "this" {
  name = "dotnet"
}

resource "aws_ecs_task_definition" "legacy_api" {
  family                   = "legacy-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048

  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name         = "api"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/legacy-api:4.8-ltsc2022"
    essential    = true
    portMappings = [{ containerPort = 80 }]
  }])
}

resource "aws_ecs_service" "legacy_api" {
  name            = "legacy-api"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.legacy_api.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = [for s in data.aws_subnet.app : s.id]
  }

  depends_on = [aws_ecs_account_setting_default.dual_stack]
}
