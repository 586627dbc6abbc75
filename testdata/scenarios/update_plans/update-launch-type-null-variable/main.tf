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

variable "desired_count" {
  type    = number
  default = 3
}

resource "aws_vpc" "this" {
  cidr_block = "10.44.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
}

resource "aws_ecs_cluster" "geo" {
  name = "geo"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "geo" {
  name_prefix   = "geo-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "c5.large"

  iam_instance_profile {
    name = "ecsInstanceRole"
  }

  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=geo >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "geo" {
  name                = "geo"
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.geo.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "geo" {
  name = "geo-ec2"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.geo.arn

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "geo" {
  cluster_name       = aws_ecs_cluster.geo.name
  capacity_providers = [aws_ecs_capacity_provider.geo.name]
}

# The module's launch_type variable defaults to null; the service runs on the capacity
# provider given to its strategy.
module "tiles" {
  source = "./modules/ec2-service"

  name              = "tiles"
  cluster_arn       = aws_ecs_cluster.geo.arn
  capacity_provider = aws_ecs_capacity_provider.geo.name
  subnet_ids        = aws_subnet.private[*].id
  desired_count     = var.desired_count
}
