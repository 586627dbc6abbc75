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

# Passed in by the deployment pipeline; the third id was pasted from the old VPC.
variable "subnet_ids" {
  type = list(string)
  default = [
    "subnet-02b7d0c0ffee0a001",
    "subnet-02b7d0c0ffee0a002",
    "subnet-01e9a0c0ffee0a001",
  ]
}

data "aws_subnet" "selected" {
  for_each = toset(var.subnet_ids)
  id       = each.value
}

locals {
  vpc_id = data.aws_subnet.selected[var.subnet_ids[0]].vpc_id
}

resource "aws_security_group" "mailer" {
  name_prefix = "mailer-"
  vpc_id      = local.vpc_id

  egress {
    from_port   = 587
    to_port     = 587
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_cluster" "this" {
  name = "mailer"
}

resource "aws_ecs_task_definition" "mailer" {
  family                   = "mailer"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name      = "mailer"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mailer:0.8.1"
    essential = true
  }])
}

resource "aws_ecs_service" "mailer" {
  name            = "mailer"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.mailer.arn
  desired_count   = 3
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = [for id in var.subnet_ids : data.aws_subnet.selected[id].id]
    security_groups = [aws_security_group.mailer.id]
  }
}
