variable "cluster_name" { type = string }
variable "subnets" { type = list(string) }
variable "size" { type = number }

variable "instance_type" {
  type    = string
  default = "c5.large"
}

resource "aws_launch_template" "this" {
  name_prefix   = "${var.cluster_name}-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = var.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${var.cluster_name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  name                = var.cluster_name
  min_size            = var.size
  max_size            = var.size
  desired_capacity    = var.size
  vpc_zone_identifier = var.subnets

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }
}
