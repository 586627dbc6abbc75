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

variable "desired_count" {
  type    = number
  default = 4
}

# Subnets of the network stack, passed in by id: the plan does not know their size.
variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0d1e2f3a4b5c60011", "subnet-0d1e2f3a4b5c60022"]
}

resource "aws_ecs_cluster" "reports" {
  name = "reports"
}

resource "aws_ecs_task_definition" "renderer" {
  family                   = "report-renderer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions = jsonencode([{
    name      = "renderer"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/report-renderer:2.2.0"
    essential = true
  }])
}

resource "aws_ecs_service" "renderer" {
  name            = "report-renderer"
  cluster         = aws_ecs_cluster.reports.id
  task_definition = aws_ecs_task_definition.renderer.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  deployment_configuration {
    strategy = "ROLLING"
  }

  network_configuration {
    subnets = var.private_subnet_ids
  }
}

# Added later: the stack now reads the subnets (for their VPC), so the plan shows their
# CIDRs and the assumption in .ecsnet.hcl repeats them.
data "aws_subnet" "private" {
  for_each = toset(var.private_subnet_ids)
  id       = each.value
}

resource "aws_security_group" "renderer" {
  name_prefix = "report-renderer-"
  vpc_id      = data.aws_subnet.private["subnet-0d1e2f3a4b5c60011"].vpc_id
}
