terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# Account-wide switches are kept in SSM by the landing-zone pipeline and read back here
# after this stack has written its own flags, so the read happens at apply time.
resource "aws_ssm_parameter" "rollout" {
  name  = "/landing-zone/ecs/rollout-wave"
  type  = "String"
  value = "3"
}

data "aws_ssm_parameter" "dual_stack" {
  name       = "/landing-zone/ecs/dual-stack-ipv6"
  depends_on = [aws_ssm_parameter.rollout]
}

resource "aws_ecs_account_setting_default" "dual_stack" {
  name  = "dualStackIPv6"
  value = data.aws_ssm_parameter.dual_stack.insecure_value
}

data "aws_vpc" "main" {
  tags = {
    Name = "main-dualstack"
  }
}

resource "aws_subnet" "tasks" {
  for_each = {
    "eu-west-1a" = 0
    "eu-west-1b" = 1
  }

  vpc_id            = data.aws_vpc.main.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(data.aws_vpc.main.cidr_block, 8, 40 + each.value)
  ipv6_cidr_block   = cidrsubnet(data.aws_vpc.main.ipv6_cidr_block, 8, 40 + each.value)
}

resource "aws_ecs_cluster" "this" {
  name = "api"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "public-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([{
    name         = "api"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/public-api:3.3.3"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "api" {
  name            = "public-api"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = [for s in aws_subnet.tasks : s.id]
  }

  depends_on = [aws_ecs_account_setting_default.dual_stack]
}
