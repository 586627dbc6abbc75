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

variable "api_replicas" {
  type    = number
  default = 2
}

locals {
  subnets = {
    "eu-west-1a" = "10.11.0.0/20"
    "eu-west-1b" = "10.11.16.0/20"
    "eu-west-1c" = "10.11.32.0/20"
  }
  # A cost cut moved the instances to one zone; nobody told the service.
  instance_azs = ["eu-west-1a"]
  service_azs  = ["eu-west-1b", "eu-west-1c"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.11.0.0/16"
}

resource "aws_subnet" "private" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.main.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_security_group" "api" {
  name   = "catalog-api"
  vpc_id = aws_vpc.main.id
}

resource "aws_ecs_cluster" "main" {
  name = "catalog"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "catalog-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "m5.xlarge"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config\n")

  iam_instance_profile {
    name = "ecsInstanceRole"
  }
}

resource "aws_autoscaling_group" "ecs" {
  name                = "catalog-ecs"
  min_size            = 1
  max_size            = 3
  vpc_zone_identifier = [for az in local.instance_azs : aws_subnet.private[az].id]

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

module "api" {
  source = "./modules/api"
  count  = 1

  name               = "catalog-api"
  cluster_id         = aws_ecs_cluster.main.id
  subnet_ids         = [for az in local.service_azs : aws_subnet.private[az].id]
  security_group_ids = [aws_security_group.api.id]
  image_tag          = "4.2.0"
  replicas           = var.api_replicas
}
