terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_ecs_cluster" "voice" {
  name = "voice"
}

# Each SIP proxy shard listens on 60 consecutive UDP ports in host mode.
locals {
  shards = {
    sip-a = 20000
    sip-b = 21000
  }
}

resource "aws_ecs_task_definition" "sip" {
  for_each = local.shards

  family       = each.key
  network_mode = "host"
  memory       = "1024"

  container_definitions = jsonencode([
    {
      name         = "proxy"
      image        = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sip-proxy:6.0.2"
      essential    = true
      portMappings = [for p in range(each.value, each.value + 60) : { containerPort = p, protocol = "udp" }]
    }
  ])
}

resource "aws_ecs_service" "sip" {
  for_each = local.shards

  name            = each.key
  cluster         = aws_ecs_cluster.voice.id
  task_definition = aws_ecs_task_definition.sip[each.key].arn
  desired_count   = 2
  launch_type     = "EC2"
}
