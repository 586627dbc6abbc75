# The legacy app keeps the host port its clients were given years ago.
resource "aws_ecs_task_definition" "app" {
  family                   = "legacy-app"
  network_mode             = "bridge"
  requires_compatibilities = ["EC2"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name         = "app"
      image        = "public.ecr.aws/docker/library/httpd:2.4"
      essential    = true
      portMappings = [{ containerPort = 80, hostPort = 50000, protocol = "tcp" }]
    }
  ])
}
