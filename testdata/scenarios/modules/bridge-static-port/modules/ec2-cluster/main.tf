variable "name" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "instance_type" {
  type = string
}

variable "max_size" {
  type = number
}

resource "aws_ecs_cluster" "this" {
  name = var.name
}

resource "aws_iam_role" "node" {
  name = "${var.name}-node"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_instance_profile" "node" {
  name = "${var.name}-node"
  role = aws_iam_role.node.name
}

resource "aws_launch_template" "node" {
  name_prefix   = "${var.name}-"
  image_id      = "ami-0d1e2f3a4b5c6d7e8"
  instance_type = var.instance_type

  iam_instance_profile {
    name = aws_iam_instance_profile.node.name
  }

  user_data = base64encode(join("\n", [
    "#!/bin/bash",
    "echo ECS_CLUSTER=${aws_ecs_cluster.this.name} >> /etc/ecs/ecs.config",
    "echo ECS_RESERVED_PORTS=[22,2375,2376,51678,51679] >> /etc/ecs/ecs.config",
  ]))
}

resource "aws_autoscaling_group" "node" {
  name                = "${var.name}-node"
  min_size            = 1
  max_size            = var.max_size
  vpc_zone_identifier = var.subnet_ids

  launch_template {
    id      = aws_launch_template.node.id
    version = aws_launch_template.node.latest_version
  }
}

output "cluster_id" {
  value = aws_ecs_cluster.this.id
}
