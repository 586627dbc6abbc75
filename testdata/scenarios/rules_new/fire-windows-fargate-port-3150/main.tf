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

# A .NET Framework service whose listener port was chosen long ago: 3150.
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
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/quotes:2019.4"
    essential    = true
    portMappings = [{ containerPort = 3150, protocol = "tcp" }]
  }])
}
