terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "ap-southeast-2"
}

# The landing zone built the dual-stack subnets and switched dualStackIPv6 on for the
# whole organisation (see .ecsnet.hcl); this stack only runs the service.
data "aws_subnets" "dualstack" {
  tags = {
    Network = "dualstack"
    Tier    = "private"
  }
}

data "aws_subnet" "dualstack" {
  for_each = toset(data.aws_subnets.dualstack.ids)
  id       = each.value
}

resource "aws_ecs_cluster" "this" {
  name = "geo"
}

resource "aws_ecs_task_definition" "geo" {
  family                   = "geo-lookup"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  runtime_platform {
    operating_system_family = "LINUX"
  }

  container_definitions = jsonencode([{
    name         = "geo"
    image        = "123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/geo-lookup:1.12.0"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "geo" {
  name            = "geo-lookup"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.geo.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = [for s in data.aws_subnet.dualstack : s.id if s.ipv6_cidr_block != ""]
  }
}
