# Three mistakes for the report formats to show: a Fargate task definition in bridge mode
# (NET003), an awsvpc task definition whose hostPort differs from its containerPort
# (NET010), and, in module.legacy, a bridge task definition with a static host port in
# the ephemeral range (NET018), which the report tests suppress with an ignore block. The
# awsvpc service runs in a subnet of the plan.

terraform {
  required_version = ">= 1.5"
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

variable "web_port" {
  description = "Port the web service is reached on."
  type        = number
  default     = 8080
}

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

resource "aws_ecs_task_definition" "batch" {
  family                   = "batch"
  network_mode             = "bridge"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name      = "job"
      image     = "public.ecr.aws/docker/library/busybox:1.36"
      essential = true
    }
  ])
}

resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name         = "web"
      image        = "public.ecr.aws/nginx/nginx:1.27"
      essential    = true
      portMappings = [{ containerPort = 80, hostPort = var.web_port, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "web" {
  name             = "web"
  cluster          = aws_ecs_cluster.main.id
  task_definition  = aws_ecs_task_definition.web.arn
  desired_count    = 2
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  network_configuration {
    subnets          = [aws_subnet.private_a.id]
    assign_public_ip = false
  }
}

module "legacy" {
  source = "./modules/legacy"
}
