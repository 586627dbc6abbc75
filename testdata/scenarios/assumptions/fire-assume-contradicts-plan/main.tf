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

# The platform team moved the cluster, its instances and the account settings into this
# stack; .ecsnet.hcl still describes what the old stack had.
resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_vpc" "this" {
  cidr_block = "10.71.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
}

resource "aws_ecs_cluster" "platform" {
  name = "platform-ec2"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "platform" {
  name_prefix   = "platform-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "m5.large"

  iam_instance_profile {
    name = "ecsInstanceRole"
  }

  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=platform-ec2 >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "platform" {
  name                = "platform-ec2"
  min_size            = 1
  max_size            = 3
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.platform.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "quotes" {
  family       = "quotes"
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "512"
  container_definitions = jsonencode([{
    name         = "quotes"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/quotes:4.1.0"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "quotes" {
  name                               = "quotes"
  cluster                            = aws_ecs_cluster.platform.arn
  task_definition                    = aws_ecs_task_definition.quotes.arn
  desired_count                      = 8
  launch_type                        = "EC2"
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 50

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}
