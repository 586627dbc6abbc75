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

# The VPC belongs to the network team; this stack only looks it up.
data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.shared.id]
  }
  tags = { Tier = "private" }
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "internal" {
  name = "internal-tools"
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "internal-tools-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = "c5.large"
  user_data = base64encode(templatefile("${path.module}/user_data.sh.tpl", {
    cluster_name = aws_ecs_cluster.internal.name
  }))
}

resource "aws_autoscaling_group" "ecs" {
  name                = "internal-tools"
  min_size            = 1
  max_size            = 3
  vpc_zone_identifier = data.aws_subnets.private.ids

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "wiki" {
  family       = "wiki"
  network_mode = "awsvpc"
  cpu          = "512"
  memory       = "1024"
  container_definitions = jsonencode([{
    name         = "wiki"
    image        = "ghcr.io/requarks/wiki:2"
    essential    = true
    portMappings = [{ containerPort = 3000 }]
  }])
}

resource "aws_ecs_service" "wiki" {
  name            = "wiki"
  cluster         = aws_ecs_cluster.internal.id
  task_definition = aws_ecs_task_definition.wiki.arn
  desired_count   = 2
  launch_type     = "EC2"

  network_configuration {
    subnets = data.aws_subnets.private.ids
  }
}
