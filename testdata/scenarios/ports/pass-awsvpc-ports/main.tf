locals {
  app_ports = concat(
    [
      { name = "http", containerPort = 8080, hostPort = 8080, protocol = "tcp", appProtocol = "http" },
      { name = "grpc", containerPort = 50051, protocol = "tcp", appProtocol = "grpc" },
    ],
    [for p in var.extra_ports : { name = p.name, containerPort = p.containerPort, protocol = "tcp" }],
  )
}

resource "aws_ecs_task_definition" "pricing" {
  family                   = "pricing"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "1024"
  memory                   = "2048"

  container_definitions = jsonencode([
    {
      name         = "pricing"
      image        = var.image
      essential    = true
      portMappings = local.app_ports
    },
    {
      name         = "envoy"
      image        = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod"
      essential    = true
      portMappings = [{ containerPort = 9901, hostPort = 9901 }, { containerPort = 15000 }]
    }
  ])
}
