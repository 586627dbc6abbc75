terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "collectors" {
  type    = number
  default = 2
}

# Log collectors on on-premises servers (ECS Anywhere): host networking, no load balancer,
# no service discovery: what external instances support.
resource "aws_ecs_cluster" "onprem" {
  name = "onprem"
}

resource "aws_ecs_task_definition" "collector" {
  family                   = "collector"
  network_mode             = "host"
  requires_compatibilities = ["EXTERNAL"]
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name         = "collector"
    image        = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
    essential    = true
    portMappings = [{ containerPort = 24224 }]
  }])
}

resource "aws_ecs_service" "collector" {
  name            = "collector"
  cluster         = aws_ecs_cluster.onprem.id
  task_definition = aws_ecs_task_definition.collector.arn
  desired_count   = var.collectors
  launch_type     = "EXTERNAL"
}
