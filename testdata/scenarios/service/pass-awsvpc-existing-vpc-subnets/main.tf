terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-2"
}

variable "environment" {
  type    = string
  default = "staging"
}

data "aws_vpc" "core" {
  filter {
    name   = "tag:Name"
    values = ["core-${var.environment}"]
  }
}

data "aws_subnets" "app" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.core.id]
  }

  filter {
    name   = "tag:Tier"
    values = ["app"]
  }
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_ecs_cluster" "core" {
  name = "core-${var.environment}"
}

resource "aws_launch_template" "ecs" {
  name          = "core-${var.environment}-ecs"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = "c5.xlarge"

  iam_instance_profile {
    name = "ecsInstanceRole"
  }

  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.core.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "ecs" {
  name                = "core-${var.environment}-ecs"
  min_size            = 1
  max_size            = 3
  vpc_zone_identifier = data.aws_subnets.app.ids

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "ledger" {
  family       = "ledger"
  network_mode = "awsvpc"
  cpu          = "512"
  memory       = "1024"

  container_definitions = jsonencode([{
    name         = "ledger"
    image        = "123456789012.dkr.ecr.us-east-2.amazonaws.com/ledger:5.0.3"
    essential    = true
    portMappings = [{ containerPort = 7000 }]
  }])
}

resource "aws_ecs_service" "ledger" {
  name            = "ledger"
  cluster         = aws_ecs_cluster.core.arn
  task_definition = aws_ecs_task_definition.ledger.arn
  desired_count   = 2
  launch_type     = "EC2"

  network_configuration {
    subnets         = data.aws_subnets.app.ids
    security_groups = ["sg-0c0ffee000000ab01"]
  }
}
