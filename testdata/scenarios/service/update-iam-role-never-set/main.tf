terraform {
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

variable "desired_count" {
  type    = number
  default = 2
}

variable "image_tag" {
  type    = string
  default = "1.0.0"
}

module "network" {
  source = "./modules/network"
}

resource "aws_ecr_repository" "app" {
  name = "quotes"
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/quotes"
  retention_in_days = 7
}

resource "aws_secretsmanager_secret" "db" {
  name = "quotes/db-password"
}

resource "aws_ecs_cluster" "this" {
  name = "quotes"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "quotes"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"

  container_definitions = jsonencode([{
    name         = "quotes"
    image        = "${aws_ecr_repository.app.repository_url}:${var.image_tag}"
    essential    = true
    portMappings = [{ containerPort = 8000, name = "http" }]
    secrets      = [{ name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db.arn }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.app.name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "quotes"
      }
    }
  }])
}

# No iam_role: ECS uses its service-linked role, which it reports back after creation.
resource "aws_ecs_service" "app" {
  name            = "quotes"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = module.network.private_subnet_ids
    security_groups = [module.network.app_security_group_id]
  }
}
