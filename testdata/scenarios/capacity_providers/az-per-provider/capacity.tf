# Two capacity providers, each in one Availability Zone: west-a launches into
# eu-west-1a, west-b into eu-west-1b.
resource "aws_vpc" "main" {
  cidr_block = "10.82.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.82.0.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.82.1.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "main" {
  name = "ledger"
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "ledger-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "m5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "west_a" {
  name                = "ledger-west-a"
  min_size            = 0
  max_size            = 3
  vpc_zone_identifier = [aws_subnet.a.id]

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_autoscaling_group" "west_b" {
  name                = "ledger-west-b"
  min_size            = 0
  max_size            = 3
  vpc_zone_identifier = [aws_subnet.b.id]

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "west_a" {
  name = "ledger-west-a"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.west_a.arn
  }
}

resource "aws_ecs_capacity_provider" "west_b" {
  name = "ledger-west-b"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.west_b.arn
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [aws_ecs_capacity_provider.west_a.name, aws_ecs_capacity_provider.west_b.name]
}
