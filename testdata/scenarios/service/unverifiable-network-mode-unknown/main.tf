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

# Platform defaults are published as SSM parameters in the same stack and read back,
# so the read waits for the apply.
resource "aws_ssm_parameter" "network_mode" {
  name  = "/platform/ecs/default-network-mode"
  type  = "String"
  value = "bridge"
}

data "aws_ssm_parameter" "network_mode" {
  name       = aws_ssm_parameter.network_mode.name
  depends_on = [aws_ssm_parameter.network_mode]
}

resource "aws_ecs_cluster" "platform" {
  name = "platform"
}

resource "aws_ecs_task_definition" "search" {
  family       = "search"
  network_mode = data.aws_ssm_parameter.network_mode.insecure_value

  container_definitions = jsonencode([{
    name         = "search"
    image        = "opensearchproject/opensearch:2.15.0"
    memory       = 2048
    essential    = true
    portMappings = [{ containerPort = 9200 }]
  }])
}

resource "aws_ecs_service" "search" {
  name            = "search"
  cluster         = aws_ecs_cluster.platform.id
  task_definition = aws_ecs_task_definition.search.arn
  desired_count   = 1
  launch_type     = "EC2"

  network_configuration {
    subnets = ["subnet-0e1a2b3c4d5e6f701", "subnet-0e1a2b3c4d5e6f702"]
  }
}
