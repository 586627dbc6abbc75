terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

resource "aws_ecs_task_definition" "hello" {
  family                   = "hello"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name         = "hello"
      image        = "public.ecr.aws/nginx/nginx:stable"
      essential    = true
      portMappings = [{ containerPort = 80 }]
    }
  ])
}

# Windows on Fargate, also without a network mode (the Windows default is nat).
resource "aws_ecs_task_definition" "iis" {
  family                   = "iis"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "1024"
  memory                   = "2048"

  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name         = "iis"
      image        = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"
      essential    = true
      portMappings = [{ containerPort = 80 }]
    }
  ])
}
