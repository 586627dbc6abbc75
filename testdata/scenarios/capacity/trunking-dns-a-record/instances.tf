resource "aws_launch_template" "ecs" {
  name_prefix   = "${local.cluster_name}-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.large"

  # Copied from the subnet defaults: instances get resource-name hostnames with A records.
  private_dns_name_options {
    hostname_type                     = "resource-name"
    enable_resource_name_dns_a_record = true
  }

  user_data = base64encode(<<-EOF
    #!/bin/bash
    echo "ECS_CLUSTER=${local.cluster_name}" >> /etc/ecs/ecs.config
  EOF
  )
}

resource "aws_autoscaling_group" "ecs" {
  name                = "${local.cluster_name}-ecs"
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = local.subnet_ids

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}
