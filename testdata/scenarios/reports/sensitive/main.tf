# Secrets that no report may print. A variable marked sensitive (the database password)
# flows into the container definitions, which makes the whole container_definitions
# sensitive; that JSON also holds the container's name (another sensitive variable), a
# hostname and a link, and port mappings that break NET010 and NET014, so rules compute
# with sensitive values. The service's name and its load balancer's container name come
# from sensitive variables too.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "CANARY-SENSITIVE-reports-variable"
}

variable "service_name" {
  type      = string
  sensitive = true
  default   = "CANARY-SENSITIVE-reports-service-name"
}

variable "container_name" {
  type      = string
  sensitive = true
  default   = "CANARY-SENSITIVE-reports-container"
}

resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.1.0/28"
  availability_zone = "eu-west-1a"
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

resource "aws_ecs_task_definition" "secret" {
  family                   = "secret"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name      = var.container_name
      image     = "public.ecr.aws/nginx/nginx:1.27"
      essential = true
      hostname  = "CANARY-SENSITIVE-reports-hostname"
      links     = ["CANARY-SENSITIVE-reports-link"]
      portMappings = [
        { containerPort = 5432, hostPort = 6543, protocol = "tcp" },
        { containerPort = 5432, protocol = "udp" },
      ]
      environment = [{ name = "DB_PASSWORD", value = var.db_password }]
    }
  ])
}

resource "aws_ecs_service" "secret" {
  name             = var.service_name
  cluster          = aws_ecs_cluster.main.id
  task_definition  = aws_ecs_task_definition.secret.arn
  desired_count    = 40
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  network_configuration {
    subnets          = [aws_subnet.a.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/0123456789abcdef"
    container_name   = var.container_name
    container_port   = 9999
  }
}
