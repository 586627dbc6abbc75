data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

data "aws_subnets" "default" {
  filter {
    name   = "default-for-az"
    values = ["true"]
  }
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "files-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = "c6i.xlarge"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=files >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "ecs" {
  name                = "files-ecs"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = data.aws_subnets.default.ids

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}
