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
  default = 2
}

module "network" {
  source = "./modules/network"
}

# Reads back a subnet this configuration creates (for its zone): once the subnet exists, the
# data source and the managed subnet carry the same id.
data "aws_subnet" "first" {
  id = module.network.private_subnet_ids[0]
}

output "first_zone" {
  value = data.aws_subnet.first.availability_zone
}

resource "aws_ecs_cluster" "feeds" {
  name = "feeds"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "feeds" {
  name_prefix   = "feeds-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "m5.large"

  iam_instance_profile {
    name = "ecsInstanceRole"
  }

  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=feeds >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "feeds" {
  name                = "feeds"
  min_size            = 2
  max_size            = 3
  vpc_zone_identifier = module.network.private_subnet_ids

  launch_template {
    id      = aws_launch_template.feeds.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "poller" {
  family                   = "feed-poller"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name      = "poller"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/feed-poller:1.4.0"
    essential = true
  }])
}

# EC2 awsvpc tasks in private subnets reach the feeds through the NAT gateway.
resource "aws_ecs_service" "poller" {
  name            = "feed-poller"
  cluster         = aws_ecs_cluster.feeds.id
  task_definition = aws_ecs_task_definition.poller.arn
  desired_count   = var.desired_count
  launch_type     = "EC2"

  network_configuration {
    subnets = module.network.private_subnet_ids
  }
}
