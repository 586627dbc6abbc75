# Fargate services on the shared cluster "shared-fargate", which another state manages:
# the services name it, their task definitions and their subnets by literal ARN, name or
# id. The subnets are read with data.aws_subnet during planning (for_each over the ids);
# a subnet added here is looked up by tag, a read that waits for apply. The web task
# definition's container_definitions is known only after apply (its image comes from a
# repository created here); the Windows task definition omits network_mode and its
# service uses the EXTERNAL deployment controller. The EC2 cluster "ops" is created here
# while its container instances are managed elsewhere.

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
  region = "ap-southeast-2"
}

variable "subnet_ids" {
  description = "Private subnets of the shared VPC."
  type        = list(string)
  default     = ["subnet-0fa0000000000000a", "subnet-0fa0000000000000b"]
}

variable "image_tag" {
  type    = string
  default = "2025.01.15"
}

data "aws_subnet" "selected" {
  for_each = toset(var.subnet_ids)
  id       = each.value
}

# The analytics subnet is added to the shared VPC here, and looked up by its Name tag
# (the way the analytics team's scripts find it), so the lookup waits for apply.
resource "aws_subnet" "analytics" {
  vpc_id            = "vpc-0fa0000000000001"
  cidr_block        = "10.8.1.0/24"
  availability_zone = "ap-southeast-2c"

  tags = {
    Name = "analytics-c"
  }
}

data "aws_subnet" "late" {
  filter {
    name   = "tag:Name"
    values = ["analytics-c"]
  }

  depends_on = [aws_subnet.analytics]
}

resource "aws_ecr_repository" "web" {
  name = "web"
}

resource "aws_cloudwatch_log_group" "web" {
  name              = "/ecs/web"
  retention_in_days = 30
}

resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }

  container_definitions = jsonencode([
    {
      name         = "web"
      image        = "${aws_ecr_repository.web.repository_url}:${var.image_tag}"
      essential    = true
      portMappings = [{ containerPort = 80, protocol = "tcp" }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.web.name
          awslogs-region        = "ap-southeast-2"
          awslogs-stream-prefix = "web"
        }
      }
    }
  ])
}

# CI registers new revisions and pins the one to run here.
resource "aws_ecs_service" "web" {
  name             = "web"
  cluster          = "arn:aws:ecs:ap-southeast-2:210987654321:cluster/shared-fargate"
  task_definition  = "arn:aws:ecs:ap-southeast-2:210987654321:task-definition/web:41"
  desired_count    = 4
  platform_version = "LATEST"

  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
    base              = 2
  }
  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 3
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = ["sg-0fa00000000000001"]
    assign_public_ip = false
  }
}

resource "aws_ecs_task_definition" "winsvc" {
  family                   = "winsvc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "1024"
  memory                   = "2048"

  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name         = "iis"
      image        = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"
      essential    = true
      portMappings = [{ containerPort = 80, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "winsvc" {
  name             = "winsvc"
  cluster          = "shared-fargate"
  task_definition  = "winsvc"
  desired_count    = 1
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  deployment_controller {
    type = "EXTERNAL"
  }

  network_configuration {
    subnets          = [var.subnet_ids[0]]
    assign_public_ip = false
  }
}

resource "aws_lb_target_group" "web" {
  name        = "web"
  port        = 80
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = "vpc-0fa0000000000001"

  health_check {
    path = "/"
    port = "traffic-port"
  }
}

resource "aws_ecs_cluster" "ops" {
  name = "ops"
}

resource "aws_ecs_task_definition" "cron" {
  family                   = "cron"
  network_mode             = "bridge"
  requires_compatibilities = ["EC2"]
  memory                   = "256"

  container_definitions = jsonencode([
    {
      name         = "cron"
      image        = "alpine:3.20"
      essential    = true
      memory       = 256
      portMappings = []
    }
  ])
}

resource "aws_ecs_service" "cron" {
  name            = "cron"
  cluster         = aws_ecs_cluster.ops.id
  task_definition = aws_ecs_task_definition.cron.arn
  desired_count   = 1
  launch_type     = "EC2"
}
