resource "aws_vpc" "main" {
  cidr_block = "10.88.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b", "eu-west-1c"][count.index]
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "main" {
  name = "catalog"
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "catalog-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config\n")
}

# 3 × c5.large: 2 awsvpc slots each, 6 in all.
resource "aws_autoscaling_group" "ecs" {
  name                = "catalog"
  min_size            = 0
  max_size            = 3
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}
