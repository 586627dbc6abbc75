resource "aws_vpc" "main" {
  cidr_block = "10.83.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "main" {
  name = "search"
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "search-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "m5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config\n")
}

variable "max_size" {
  type    = number
  default = 2
}

resource "aws_autoscaling_group" "ecs" {
  name                = "search"
  min_size            = 0
  max_size            = var.max_size
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "ecs" {
  name = "search-ec2"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.ecs.arn
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [aws_ecs_capacity_provider.ecs.name]
}

module "indexer" {
  source            = "./modules/service"
  name              = "indexer"
  cluster_arn       = aws_ecs_cluster.main.arn
  capacity_provider = aws_ecs_capacity_provider.ecs.name
  desired_count     = 6
  subnet_ids        = aws_subnet.private[*].id
}
