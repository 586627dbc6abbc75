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

variable "vpc_name" {
  type    = string
  default = "platform"
}

data "aws_vpc" "platform" {
  filter {
    name   = "tag:Name"
    values = [var.vpc_name]
  }
}

data "aws_subnets" "apps" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.platform.id]
  }
  filter {
    name   = "tag:Tier"
    values = ["apps"]
  }
}

data "aws_subnet" "apps" {
  for_each = toset(data.aws_subnets.apps.ids)
  id       = each.value
}

locals {
  app_subnet_ids = sort([for s in data.aws_subnet.apps : s.id])
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}

resource "aws_ecs_cluster" "events" {
  name = "events"
}

resource "aws_launch_template" "events" {
  name_prefix   = "events-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.xlarge"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=events >> /etc/ecs/ecs.config\n")

  private_dns_name_options {
    enable_resource_name_dns_a_record = false
  }
}

# Ten trunked instances: each takes two addresses from its subnet (primary and trunk ENI).
resource "aws_autoscaling_group" "events" {
  name                = "events"
  min_size            = 2
  max_size            = 10
  vpc_zone_identifier = local.app_subnet_ids

  launch_template {
    id      = aws_launch_template.events.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "ingest" {
  family       = "events-ingest"
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "512"
  container_definitions = jsonencode([{
    name         = "ingest"
    image        = "public.ecr.aws/docker/library/golang:1.22-alpine"
    essential    = true
    portMappings = [{ containerPort = 4000 }]
  }])
}

resource "aws_ecs_service" "ingest" {
  name            = "events-ingest"
  cluster         = aws_ecs_cluster.events.id
  task_definition = aws_ecs_task_definition.ingest.arn
  desired_count   = 49
  launch_type     = "EC2"

  deployment_configuration {
    strategy = "ROLLING"
  }

  network_configuration {
    subnets = local.app_subnet_ids
  }
}
