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

variable "cluster_name" {
  type    = string
  default = "geo"
}

resource "aws_vpc" "geo" {
  cidr_block = "10.38.0.0/16"
}

resource "aws_subnet" "geo" {
  count             = 3
  vpc_id            = aws_vpc.geo.id
  cidr_block        = cidrsubnet(aws_vpc.geo.cidr_block, 8, count.index)
  availability_zone = "eu-west-1${["a", "b", "c"][count.index]}"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "geo" {
  name = var.cluster_name
}

# The bootstrap script grew past the 16 KB user-data limit, so it is gzipped;
# cloud-init decompresses it before running it.
resource "aws_launch_template" "geo" {
  name_prefix   = "${var.cluster_name}-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.large"
  user_data = base64gzip(<<-EOT
    #!/bin/bash
    set -euo pipefail
    echo ECS_CLUSTER=${var.cluster_name} >> /etc/ecs/ecs.config
    echo ECS_IMAGE_PULL_BEHAVIOR=prefer-cached >> /etc/ecs/ecs.config
    # ... tile cache warm-up elided ...
  EOT
  )
}

resource "aws_autoscaling_group" "geo" {
  name                = var.cluster_name
  min_size            = 1
  max_size            = 3
  vpc_zone_identifier = aws_subnet.geo[*].id

  launch_template {
    id      = aws_launch_template.geo.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "tiles" {
  family       = "tiles"
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "512"
  container_definitions = jsonencode([{
    name         = "tiles"
    image        = "public.ecr.aws/docker/library/nginx:1.27-alpine"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "tiles" {
  name            = "tiles"
  cluster         = aws_ecs_cluster.geo.id
  task_definition = aws_ecs_task_definition.tiles.arn
  desired_count   = 8
  launch_type     = "EC2"

  network_configuration {
    subnets = aws_subnet.geo[*].id
  }
}
