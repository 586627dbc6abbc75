terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_secretsmanager_secret" "smtp" {
  name_prefix = "mailhog-smtp-"
}

resource "aws_cloudwatch_log_group" "mail" {
  name              = "/ecs/staging/mail"
  retention_in_days = 7
}

locals {
  log_options = {
    awslogs-group         = aws_cloudwatch_log_group.mail.name
    awslogs-region        = "us-east-1"
    awslogs-stream-prefix = "mail"
  }
}

# Staging mail catcher on the EC2 cluster: fixed SMTP port, dynamic web UI port.
resource "aws_ecs_task_definition" "mail" {
  family       = "staging-mail"
  network_mode = "bridge"
  memory       = "256"

  container_definitions = jsonencode([
    {
      name      = "mailhog"
      image     = "mailhog/mailhog:v1.0.1"
      essential = true
      portMappings = [
        { containerPort = 1025, hostPort = 1025 },
        { containerPort = 8025 }
      ]
      secrets          = [{ name = "MH_AUTH_FILE_CONTENT", valueFrom = aws_secretsmanager_secret.smtp.arn }]
      logConfiguration = { logDriver = "awslogs", options = local.log_options }
    }
  ])
}
