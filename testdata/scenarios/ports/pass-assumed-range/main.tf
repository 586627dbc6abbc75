terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-2"
}

variable "status_port" {
  type    = number
  default = 50000
}

# Instances use ECS_DYNAMIC_HOST_PORT_RANGE=30000-32767 (see .ecsnet.hcl), so 50000 is
# free for a static mapping.
resource "aws_ecs_task_definition" "status_page" {
  family       = "status-page"
  network_mode = "bridge"
  memory       = "256"

  container_definitions = jsonencode([
    {
      name         = "status"
      image        = "123456789012.dkr.ecr.us-east-2.amazonaws.com/status-page:2.3.0"
      essential    = true
      portMappings = [{ containerPort = 3000, hostPort = var.status_port }]
    }
  ])
}
