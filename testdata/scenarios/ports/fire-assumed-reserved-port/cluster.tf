data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_ecs_cluster" "legacy" {
  name = "legacy"
}

# The instances keep 8080 for the on-host health agent.
resource "aws_launch_template" "legacy" {
  name_prefix   = "legacy-ecs-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = "c5.large"

  user_data = base64encode(<<-EOT
    #!/bin/bash
    cat >> /etc/ecs/ecs.config <<'CFG'
    ECS_CLUSTER=legacy
    ECS_RESERVED_PORTS=[22,2375,2376,51678,51679,51680,8080]
    CFG
  EOT
  )
}
