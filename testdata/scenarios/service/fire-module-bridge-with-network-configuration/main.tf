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

variable "legacy_enabled" {
  type    = bool
  default = true
}

variable "legacy_network_mode" {
  type    = string
  default = "bridge"
}

locals {
  azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.12.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  availability_zone = local.azs[count.index]
  cidr_block        = "10.12.${count.index * 16}.0/20"
}

resource "aws_ecs_cluster" "apps" {
  name = "apps"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
}

resource "aws_launch_template" "apps" {
  name_prefix   = "apps-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "t3.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=apps >> /etc/ecs/ecs.config")

  iam_instance_profile {
    name = "ecsInstanceRole"
  }
}

resource "aws_autoscaling_group" "apps" {
  name                = "apps"
  min_size            = 3
  max_size            = 6
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.apps.id
    version = "$Latest"
  }
}

# Moved from hand-run docker on EC2; the shared module always renders network_configuration.
module "legacy_reports" {
  source = "./modules/service"
  count  = var.legacy_enabled ? 1 : 0

  name         = "legacy-reports"
  cluster_id   = aws_ecs_cluster.apps.id
  network_mode = var.legacy_network_mode
  image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/legacy-reports:2019.11"
  port         = 8000
  subnet_ids   = aws_subnet.private[*].id

  environment = {
    REPORTS_BUCKET = "acme-legacy-reports"
  }
}
