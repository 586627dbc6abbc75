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

resource "aws_vpc" "main" {
  cidr_block = "10.192.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = "eu-west-1${["a", "b", "c"][count.index]}"
}

resource "aws_ecs_cluster" "main" {
  name = "inventory"
}

resource "aws_launch_template" "main" {
  name_prefix   = "inventory-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=inventory >> /etc/ecs/ecs.config\n")

  private_dns_name_options {
    enable_resource_name_dns_a_record = false
  }
}

resource "aws_autoscaling_group" "main" {
  name                = "inventory"
  min_size            = 3
  max_size            = 3
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.main.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "stock" {
  family       = "stock"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "stock"
    image        = "public.ecr.aws/docker/library/nginx:1.27"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "stock" {
  name                               = "stock"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.stock.arn
  desired_count                      = var.stock_tasks
  launch_type                        = "EC2"
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 50

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}
