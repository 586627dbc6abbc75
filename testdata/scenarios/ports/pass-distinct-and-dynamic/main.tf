terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "ap-northeast-1"
}

variable "shared_volumes" {
  type    = map(string)
  default = { cache = "/var/cache/render", tmp = "/tmp/render" }
}

# awsvpc: every container has its own port on the task ENI.
resource "aws_ecs_task_definition" "api" {
  family                   = "render-api"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "512"
  memory                   = "1024"

  container_definitions = jsonencode([
    { name = "api", image = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/render-api:5.0.0", essential = true, portMappings = [{ containerPort = 8080 }] },
    { name = "metrics", image = "prom/statsd-exporter:v0.27.1", essential = false, portMappings = [{ containerPort = 9102 }, { containerPort = 9125, protocol = "udp" }] },
  ])
}

# bridge with dynamic host ports: several containers may use the same container port.
resource "aws_ecs_task_definition" "workers" {
  family       = "render-workers"
  network_mode = "bridge"
  memory       = "2048"

  dynamic "volume" {
    for_each = var.shared_volumes
    content {
      name      = volume.key
      host_path = volume.value
    }
  }

  container_definitions = jsonencode([
    for i, flavour in ["pdf", "png", "svg"] : {
      name         = "worker-${flavour}"
      image        = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/render-worker:5.0.0"
      essential    = i == 0
      command      = ["--format", flavour]
      portMappings = [{ containerPort = 8080, hostPort = flavour == "png" ? 0 : null }]
      mountPoints  = [for v in keys(var.shared_volumes) : { sourceVolume = v, containerPath = "/${v}" }]
    }
  ])
}
