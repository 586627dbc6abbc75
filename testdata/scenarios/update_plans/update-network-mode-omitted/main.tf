terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "intranet_count" {
  type    = number
  default = 2
}

variable "worker_count" {
  type    = number
  default = 2
}

resource "aws_ecs_cluster" "office" {
  name = "office"
}

# Windows containers in the default network mode: network_mode is left out.
resource "aws_ecs_task_definition" "intranet" {
  family                   = "intranet"
  requires_compatibilities = ["EC2"]
  cpu                      = 1024
  memory                   = 2048

  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name         = "intranet"
    image        = "mcr.microsoft.com/dotnet/framework/aspnet:4.8"
    essential    = true
    portMappings = [{ containerPort = 80, hostPort = 0 }]
  }])
}

resource "aws_ecs_service" "intranet" {
  name            = "intranet"
  cluster         = aws_ecs_cluster.office.id
  task_definition = aws_ecs_task_definition.intranet.arn
  desired_count   = var.intranet_count
  launch_type     = "EC2"
}

# A task module whose network_mode variable defaults to null.
module "worker" {
  source = "./modules/ecs-task"

  family = "mail-worker"
  image  = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mail-worker:4.0.2"
}

resource "aws_ecs_service" "worker" {
  name            = "mail-worker"
  cluster         = aws_ecs_cluster.office.id
  task_definition = module.worker.arn
  desired_count   = var.worker_count
  launch_type     = "EC2"
}

# The same module for Fargate, still without network_mode: RegisterTaskDefinition rejects it.
module "exporter" {
  source = "./modules/ecs-task"

  family                   = "usage-exporter"
  image                    = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/usage-exporter:1.1.0"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
}
