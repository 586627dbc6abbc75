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
  app_env = {
    REDIS_URL = "redis://cache:6379/0"
    DB_HOST   = "db"
  }
}

resource "aws_ecs_task_definition" "wiki" {
  family                   = "wiki"
  network_mode             = "bridge"
  requires_compatibilities = ["EC2"]
  memory                   = "1024"

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name         = "app"
      image        = "requarks/wiki:2.5"
      essential    = true
      links        = ["cache", "db"]
      portMappings = [{ containerPort = 3000 }]
      environment  = [for k in sort(keys(local.app_env)) : { name = k, value = local.app_env[k] }]
    },
    { name = "cache", image = "public.ecr.aws/docker/library/redis:7.4", essential = true },
    { name = "db", image = "public.ecr.aws/docker/library/postgres:16", essential = true },
  ])
}
