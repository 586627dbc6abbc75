terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

# An IIS site on Windows container instances, given an IAM role for tasks so it can read
# its configuration from S3, still publishing the instance's port 80 directly.
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

resource "aws_ecs_task_definition" "intranet" {
  family                   = "intranet"
  requires_compatibilities = ["EC2"]
  task_role_arn            = aws_iam_role.iis.arn

  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2019_CORE"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name         = "iis"
    image        = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019"
    essential    = true
    cpu          = 1024
    memory       = 2048
    portMappings = [{ containerPort = 80, hostPort = 80, protocol = "tcp" }]
  }])
}
