data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
}

resource "aws_ecs_cluster" "staging" {
  name = "staging"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_iam_role" "instance" {
  name = "staging-ecs-instance"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "instance" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "instance" {
  name = "staging-ecs-instance"
  role = aws_iam_role.instance.name
}

resource "aws_launch_template" "node" {
  name          = "staging-ecs-node"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "c5.large"

  iam_instance_profile {
    arn = aws_iam_instance_profile.instance.arn
  }

  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=staging >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "node" {
  name_prefix           = "staging-ecs-"
  min_size              = 0
  max_size              = 3
  desired_capacity      = 2
  vpc_zone_identifier   = [for s in aws_subnet.app : s.id]
  protect_from_scale_in = true

  launch_template {
    id      = aws_launch_template.node.id
    version = aws_launch_template.node.latest_version
  }

  tag {
    key                 = "AmazonECSManaged"
    value               = ""
    propagate_at_launch = true
  }
}

resource "aws_ecs_capacity_provider" "node" {
  name = "staging-node"

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.node.arn
    managed_termination_protection = "ENABLED"

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "staging" {
  cluster_name       = aws_ecs_cluster.staging.name
  capacity_providers = [aws_ecs_capacity_provider.node.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.node.name
    weight            = 1
    base              = 1
  }
}
