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

resource "aws_iam_role" "iis" {
  name = "intranet-iis-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

# IIS with a task role on Windows container instances, on a dynamic host port behind an
# Application Load Balancer: port 80 on the instance stays free for the credential proxy.
resource "aws_ecs_task_definition" "intranet" {
  family                   = "intranet"
  requires_compatibilities = ["EC2"]
  task_role_arn            = aws_iam_role.iis.arn

  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name         = "iis"
    image        = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"
    essential    = true
    cpu          = 1024
    memory       = 2048
    portMappings = [{ containerPort = 80, hostPort = 0, protocol = "tcp" }]
  }])
}

# The .NET service on Fargate listens on 8080.
resource "aws_ecs_task_definition" "quotes" {
  family                   = "quotes"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 1024
  memory                   = 2048

  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name         = "quotes"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/quotes:2022.1"
    essential    = true
    portMappings = [{ containerPort = 8080, protocol = "tcp" }]
  }])
}
