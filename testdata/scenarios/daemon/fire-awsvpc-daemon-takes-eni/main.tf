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

locals {
  subnets = {
    "eu-west-1a" = "10.35.0.0/20"
    "eu-west-1b" = "10.35.16.0/20"
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.35.0.0/16"
}

resource "aws_subnet" "private" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_security_group" "agent" {
  name   = "security-agent"
  vpc_id = aws_vpc.this.id

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_cluster" "this" {
  name = "secure"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "this" {
  name_prefix   = "secure-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "c5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.this.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  name                = "secure"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = values(aws_subnet.private)[*].id

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }
}

# The security team's agent gets its own ENI and security group on every instance.
resource "aws_ecs_task_definition" "agent" {
  family                   = "security-agent"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  cpu                      = 128
  memory                   = 256

  container_definitions = jsonencode([{
    name      = "agent"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/security-agent:4.4.0"
    essential = true
  }])
}

resource "aws_ecs_service" "agent" {
  name                = "security-agent"
  cluster             = aws_ecs_cluster.this.id
  task_definition     = aws_ecs_task_definition.agent.arn
  launch_type         = "EC2"
  scheduling_strategy = "DAEMON"

  network_configuration {
    subnets         = values(aws_subnet.private)[*].id
    security_groups = [aws_security_group.agent.id]
  }
}
