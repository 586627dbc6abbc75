terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "ca-central-1"
}

# The VPC, its internet gateway and route tables belong to the network team.
data "aws_vpc" "shared" {
  tags = {
    Name = "shared"
  }
}

resource "aws_subnet" "jobs" {
  count = 2

  vpc_id                  = data.aws_vpc.shared.id
  availability_zone       = ["ca-central-1a", "ca-central-1b"][count.index]
  cidr_block              = cidrsubnet(data.aws_vpc.shared.cidr_block, 8, 200 + count.index)
  map_public_ip_on_launch = true

  tags = {
    Name = "jobs-${count.index}"
  }
}

variable "queue_url" {
  type    = string
  default = "https://sqs.ca-central-1.amazonaws.com/123456789012/thumbnail-jobs"
}

resource "aws_ecs_cluster" "jobs" {
  name = "jobs"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "jobs" {
  name_prefix   = "jobs-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "m6i.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=jobs >> /etc/ecs/ecs.config\n")

  iam_instance_profile {
    name = "ecsInstanceRole"
  }
}

resource "aws_autoscaling_group" "jobs" {
  name_prefix         = "jobs-"
  min_size            = 1
  max_size            = 4
  vpc_zone_identifier = aws_subnet.jobs[*].id

  launch_template {
    id      = aws_launch_template.jobs.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "jobs" {
  name = "jobs"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.jobs.arn
  }
}

resource "aws_ecs_cluster_capacity_providers" "jobs" {
  cluster_name       = aws_ecs_cluster.jobs.name
  capacity_providers = [aws_ecs_capacity_provider.jobs.name]
}

module "thumbnailer" {
  source = "./modules/worker"

  name              = "thumbnailer"
  cluster_arn       = aws_ecs_cluster.jobs.arn
  capacity_provider = aws_ecs_capacity_provider.jobs.name
  subnet_ids        = aws_subnet.jobs[*].id
  image             = "123456789012.dkr.ecr.ca-central-1.amazonaws.com/thumbnailer:3.0.0"
  queue_url         = var.queue_url
}
