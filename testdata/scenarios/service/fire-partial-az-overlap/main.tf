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

variable "query_count" {
  type    = number
  default = 3
}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 3)
}

resource "aws_vpc" "this" {
  cidr_block = "10.14.0.0/16"
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 6, count.index)
}

resource "aws_ecs_cluster" "this" {
  name = "search"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "this" {
  name_prefix   = "search-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "r5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=search >> /etc/ecs/ecs.config\n")
}

# r5 capacity was short in the third zone, so the group was trimmed to two.
resource "aws_autoscaling_group" "this" {
  name                = "search"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = slice(aws_subnet.private[*].id, 0, 2)

  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.this.id
        version            = "$Latest"
      }
      override {
        instance_type = "r5.large"
      }
      override {
        instance_type = "r5a.large"
      }
    }
  }
}

resource "aws_ecs_capacity_provider" "this" {
  name = "search"
  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.this.arn
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = [aws_ecs_capacity_provider.this.name]
  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.this.name
    weight            = 1
  }
}

resource "aws_ecs_task_definition" "query" {
  family       = "search-query"
  network_mode = "awsvpc"
  memory       = 4096

  container_definitions = jsonencode([{
    name         = "query"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/search-query:11.4.0"
    essential    = true
    portMappings = [{ containerPort = 9000 }]
  }])
}

resource "aws_ecs_service" "query" {
  name            = "search-query"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.query.arn
  desired_count   = var.query_count

  network_configuration {
    subnets = aws_subnet.private[*].id
  }

  depends_on = [aws_ecs_cluster_capacity_providers.this]
}
