locals {
  windows_platform = {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
    cpu_architecture        = "X86_64"
  }
}

# Windows on EC2: default (nat) mode, ports published on the instance.
resource "aws_ecs_task_definition" "intranet" {
  family                   = "intranet"
  network_mode             = var.intranet_network_mode
  requires_compatibilities = ["EC2"]
  cpu                      = "2048"
  memory                   = "4096"

  runtime_platform {
    operating_system_family = local.windows_platform.operating_system_family
    cpu_architecture        = local.windows_platform.cpu_architecture
  }

  container_definitions = jsonencode([
    {
      name      = "intranet"
      image     = var.windows_image
      essential = true
      portMappings = [
        { containerPort = 80, hostPort = 8080, protocol = "tcp" },
        { containerPort = 443, protocol = "tcp" }
      ]
    }
  ])
}

# Windows on Fargate: awsvpc.
resource "aws_ecs_task_definition" "pdf_render" {
  family                   = "pdf-render"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "1024"
  memory                   = "2048"

  runtime_platform {
    operating_system_family = local.windows_platform.operating_system_family
    cpu_architecture        = local.windows_platform.cpu_architecture
  }

  container_definitions = jsonencode([
    {
      name         = "render"
      image        = "123456789012.dkr.ecr.us-east-1.amazonaws.com/pdf-render:1.1.0-ltsc2022"
      essential    = true
      portMappings = [{ containerPort = 5000 }]
    }
  ])
}

# Linux host-mode exporter on the same account.
resource "aws_ecs_task_definition" "node_exporter" {
  family       = "node-exporter"
  network_mode = "host"
  memory       = "128"

  runtime_platform {
    operating_system_family = "LINUX"
  }

  container_definitions = jsonencode([
    {
      name         = "node-exporter"
      image        = "quay.io/prometheus/node-exporter:v1.8.2"
      essential    = true
      portMappings = [{ containerPort = 9100, hostPort = 9100 }]
    }
  ])
}
