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

# awsvpcTrunking is an account setting managed by the platform team's own stack, not here.

variable "search_replicas" {
  type    = number
  default = 8
}

locals {
  cluster = "search"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

data "aws_subnet" "default" {
  for_each = toset(data.aws_subnets.default.ids)
  id       = each.value
}

resource "aws_ecs_cluster" "search" {
  name = local.cluster
}

resource "aws_launch_template" "search" {
  name          = "search-nodes"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${local.cluster} >> /etc/ecs/ecs.config")
}

resource "aws_autoscaling_group" "search" {
  name                = "search-nodes"
  min_size            = 3
  max_size            = 3
  vpc_zone_identifier = data.aws_subnets.default.ids

  launch_template {
    name    = aws_launch_template.search.name
    version = "$Default"
  }
}

resource "aws_ecs_task_definition" "opensearch_proxy" {
  family       = "opensearch-proxy"
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "256"
  container_definitions = jsonencode([{
    name         = "proxy"
    image        = "public.ecr.aws/docker/library/nginx:1.27"
    essential    = true
    portMappings = [{ containerPort = 9200 }]
  }])
}

resource "aws_ecs_service" "opensearch_proxy" {
  name            = "opensearch-proxy"
  cluster         = aws_ecs_cluster.search.name
  task_definition = aws_ecs_task_definition.opensearch_proxy.family
  desired_count   = var.search_replicas
  launch_type     = "EC2"

  network_configuration {
    subnets = [for s in data.aws_subnet.default : s.id]
  }
}
