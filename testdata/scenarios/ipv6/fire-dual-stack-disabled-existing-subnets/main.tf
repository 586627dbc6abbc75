terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-central-1"
}

variable "settings" {
  description = "ECS account defaults owned by this stack."
  type        = map(string)
  default = {
    containerInsights = "enhanced"
    dualStackIPv6     = "disabled"
  }
}

resource "aws_ecs_account_setting_default" "this" {
  for_each = var.settings
  name     = each.key
  value    = each.value
}

data "aws_vpc" "shared" {
  tags = {
    Name = "shared-dualstack"
  }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.shared.id]
  }
  tags = {
    Tier = "private"
  }
}

data "aws_subnet" "private" {
  for_each = toset(data.aws_subnets.private.ids)
  id       = each.value
}

resource "aws_ecs_cluster" "this" {
  name = "telemetry"
}

resource "aws_ecs_task_definition" "ingest" {
  family                   = "telemetry-ingest"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048

  container_definitions = jsonencode([{
    name         = "ingest"
    image        = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/telemetry-ingest:2.8.0"
    essential    = true
    portMappings = [{ containerPort = 4433, protocol = "udp" }]
    environment = [
      { name = "LISTEN_V6", value = "true" },
      { name = "SUBNET_V6", value = join(",", [for s in data.aws_subnet.private : s.ipv6_cidr_block]) }
    ]
  }])
}

resource "aws_ecs_service" "ingest" {
  name            = "telemetry-ingest"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.ingest.arn
  desired_count   = 4
  launch_type     = "FARGATE"

  network_configuration {
    subnets = data.aws_subnets.private.ids
  }
}
