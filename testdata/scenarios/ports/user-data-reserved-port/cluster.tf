data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_ecs_cluster" "billing" {
  name = "billing"
}

# 8080 is kept for the on-host health agent.
resource "aws_launch_template" "billing" {
  name_prefix   = "billing-ecs-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = "c5.large"

  user_data = base64encode(<<-EOT
    #!/bin/bash
    cat >> /etc/ecs/ecs.config <<'CFG'
    ECS_CLUSTER=billing
    ECS_RESERVED_PORTS=[22,2375,2376,51678,51679,51680,8080]
    CFG
  EOT
  )
}

resource "aws_autoscaling_group" "billing" {
  name                = "billing-ecs"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = data.aws_subnets.default.ids

  launch_template {
    id      = aws_launch_template.billing.id
    version = "$Latest"
  }
}
