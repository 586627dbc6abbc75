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

variable "jobs" {
  type = map(object({
    command = list(string)
    memory  = number
  }))
  default = {
    compact = { command = ["compact", "--older-than", "30d"], memory = 512 }
    verify  = { command = ["verify", "--all"], memory = 256 }
  }
}

# Offline maintenance jobs on the instances' local volume: no network at all.
resource "aws_ecs_task_definition" "job" {
  for_each = var.jobs

  family       = "archive-${each.key}"
  network_mode = "none"
  memory       = tostring(each.value.memory)

  volume {
    name      = "archive"
    host_path = "/data/archive"
  }

  container_definitions = jsonencode([
    {
      name        = each.key
      image       = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/archive-tools:3.3.0"
      essential   = true
      command     = each.value.command
      mountPoints = [{ sourceVolume = "archive", containerPath = "/archive" }]
    }
  ])
}
