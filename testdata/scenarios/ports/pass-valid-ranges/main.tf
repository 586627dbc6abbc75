locals {
  rtp_mappings = [for r in var.rtp_ranges : { containerPortRange = r, protocol = "udp" }]
}

# bridge: ECS picks host ports for the range.
resource "aws_ecs_task_definition" "sfu" {
  family       = "video-sfu"
  network_mode = "bridge"
  memory       = "4096"

  container_definitions = jsonencode([
    {
      name         = "sfu"
      image        = "123456789012.dkr.ecr.us-east-1.amazonaws.com/video-sfu:2.0.0"
      essential    = true
      portMappings = concat([{ containerPort = 443, protocol = "tcp" }], local.rtp_mappings)
    }
  ])
}

# awsvpc: the range is bound on the task ENI.
resource "aws_ecs_task_definition" "recorder" {
  family                   = "video-recorder"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "1024"
  memory                   = "2048"

  container_definitions = jsonencode([
    {
      name         = "recorder"
      image        = "123456789012.dkr.ecr.us-east-1.amazonaws.com/video-recorder:2.0.0"
      essential    = true
      portMappings = [{ containerPortRange = "20000-20049", protocol = "udp" }, { containerPort = 8080 }]
    }
  ])
}
