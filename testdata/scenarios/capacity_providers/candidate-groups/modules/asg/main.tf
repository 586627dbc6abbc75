# One autoscaling group of ECS container instances, as terraform-aws-modules/autoscaling
# is used for ECS: a launch template whose user data registers the instances to the cluster.
variable "name" { type = string }
variable "cluster_name" { type = string }
variable "instance_type" { type = string }
variable "max_size" { type = number }
variable "subnet_ids" { type = list(string) }

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "this" {
  name_prefix   = "${var.name}-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = var.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${var.cluster_name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  name                  = var.name
  min_size              = 0
  max_size              = var.max_size
  vpc_zone_identifier   = var.subnet_ids
  protect_from_scale_in = true

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }

  tag {
    key                 = "AmazonECSManaged"
    value               = true
    propagate_at_launch = true
  }
}

output "autoscaling_group_arn" {
  value = aws_autoscaling_group.this.arn
}
