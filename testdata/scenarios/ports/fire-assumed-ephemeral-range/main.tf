terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-east-2"
}

# The cluster's instances set ECS_DYNAMIC_HOST_PORT_RANGE=30000-32767 (NodePort-style
# range shared with the platform's other schedulers); see .ecsnet.hcl.
resource "aws_ecs_task_definition" "ledger_sync" {
  family       = "ledger-sync"
  network_mode = "bridge"
  memory       = "512"

  container_definitions = jsonencode([
    {
      name         = "sync"
      image        = "123456789012.dkr.ecr.us-east-2.amazonaws.com/ledger-sync:1.0.4"
      essential    = true
      portMappings = [{ containerPort = 8080, hostPort = 31000 }, { containerPort = 8081 }]
    }
  ])
}
