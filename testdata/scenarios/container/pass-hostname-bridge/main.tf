terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-north-1"
}

variable "brokers" {
  type    = list(string)
  default = ["mq-1", "mq-2"]
}

# bridge: each broker container gets a stable hostname for clustering.
resource "aws_ecs_task_definition" "mq" {
  family       = "rabbitmq"
  network_mode = "bridge"
  memory       = "2048"

  container_definitions = jsonencode([
    for b in var.brokers : {
      name         = b
      image        = "public.ecr.aws/docker/library/rabbitmq:4.0-management"
      essential    = true
      hostname     = b
      portMappings = [{ containerPort = 5672 }, { containerPort = 15672 }]
      environment  = [{ name = "RABBITMQ_NODENAME", value = "rabbit@${b}" }]
    }
  ])
}

# awsvpc without hostname.
resource "aws_ecs_task_definition" "mq_admin" {
  family                   = "rabbitmq-admin"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name         = "admin"
      image        = "123456789012.dkr.ecr.eu-north-1.amazonaws.com/mq-admin:1.0.0"
      essential    = true
      portMappings = [{ containerPort = 8080 }]
    }
  ])
}
