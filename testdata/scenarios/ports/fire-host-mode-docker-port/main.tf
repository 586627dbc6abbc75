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

variable "dind_tls_port" {
  description = "Port the Docker-in-Docker daemon listens on for TLS clients."
  type        = number
  default     = 2376
}

# CI runners' Docker-in-Docker daemon, in host mode so builds can reach it on the instance.
resource "aws_ecs_task_definition" "dind" {
  family       = "ci-dind"
  network_mode = "host"
  memory       = "4096"

  container_definitions = jsonencode([
    {
      name         = "dind"
      image        = "public.ecr.aws/docker/library/docker:27-dind"
      essential    = true
      privileged   = true
      portMappings = [{ containerPort = var.dind_tls_port, protocol = "tcp" }]
      environment  = [{ name = "DOCKER_TLS_CERTDIR", value = "/certs" }]
    }
  ])
}
