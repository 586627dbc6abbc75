variable "instance_type" {
  type = string
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "edge" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.edge.id
  cidr_block        = cidrsubnet(aws_vpc.edge.cidr_block, 8, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_ecs_cluster" "edge" {
  name = "edge"
}

resource "aws_launch_template" "edge" {
  name_prefix   = "edge-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = var.instance_type

  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=edge >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "edge" {
  name                = "edge"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.edge.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "edge" {
  name = "edge"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.edge.arn
  }
}

resource "aws_ecs_cluster_capacity_providers" "edge" {
  cluster_name       = aws_ecs_cluster.edge.name
  capacity_providers = [aws_ecs_capacity_provider.edge.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.edge.name
    weight            = 1
  }
}
