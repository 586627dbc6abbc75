# HAProxy in host mode, one per instance: host ports omitted or equal to container ports.
resource "aws_ecs_task_definition" "haproxy" {
  family       = "edge-haproxy"
  network_mode = "host"
  memory       = "512"

  container_definitions = jsonencode([
    {
      name      = "haproxy"
      image     = "public.ecr.aws/docker/library/haproxy:3.0"
      essential = true
      portMappings = [
        { containerPort = 80, hostPort = 80, protocol = "tcp" },
        { containerPort = 443, protocol = "tcp" },
        { containerPort = 8404, protocol = "tcp" }
      ]
    }
  ])
}

resource "aws_ecs_service" "haproxy" {
  name                = "edge-haproxy"
  cluster             = aws_ecs_cluster.edge.id
  task_definition     = aws_ecs_task_definition.haproxy.arn
  scheduling_strategy = "DAEMON"
}
