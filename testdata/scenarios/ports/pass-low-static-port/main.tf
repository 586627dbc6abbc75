resource "aws_ecs_task_definition" "reporting" {
  family       = "reporting"
  network_mode = "bridge"
  memory       = "1024"

  container_definitions = jsonencode([
    {
      name      = "reporting"
      image     = "123456789012.dkr.ecr.ap-south-1.amazonaws.com/reporting:7.7.0"
      essential = true
      portMappings = concat(
        [for name, p in local.static_ports : { name = name, containerPort = p.container, hostPort = p.host }],
        [{ name = "debug", containerPort = 5005 }],
      )
    }
  ])
}

# awsvpc: a high port on the task ENI is not a host port.
resource "aws_ecs_task_definition" "collector" {
  family                   = "collector"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name         = "collector"
      image        = "otel/opentelemetry-collector-contrib:0.115.0"
      essential    = true
      portMappings = [{ containerPort = 50000 }]
    }
  ])
}
