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

variable "api_replicas" {
  type    = number
  default = 4
}

module "vpc" {
  source = "./modules/vpc"
  cidr   = "10.36.0.0/16"
  azs    = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

resource "aws_ecs_cluster" "this" {
  name = "tracing"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "this" {
  name_prefix   = "tracing-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "m6i.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.this.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "this" {
  name                = "tracing"
  min_size            = 2
  max_size            = 6
  vpc_zone_identifier = module.vpc.private_subnet_ids

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "collector" {
  family       = "otel-collector"
  network_mode = "host"

  container_definitions = jsonencode([{
    name      = "collector"
    image     = "otel/opentelemetry-collector-contrib:0.111.0"
    memory    = 256
    essential = true
    portMappings = [
      { containerPort = 4317, hostPort = 4317, protocol = "tcp" },
      { containerPort = 4318, hostPort = 4318, protocol = "tcp" }
    ]
  }])
}

resource "aws_ecs_service" "collector" {
  name                               = "otel-collector"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.collector.arn
  launch_type                        = "EC2"
  scheduling_strategy                = "DAEMON"
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 0
}

resource "aws_ecs_task_definition" "api" {
  family       = "tracing-api"
  network_mode = "bridge"

  container_definitions = jsonencode([{
    name              = "api"
    image             = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/tracing-api:1.0.3"
    memoryReservation = 512
    essential         = true
    portMappings      = [{ containerPort = 8080 }, { containerPort = 4317 }]
    environment       = [{ name = "OTEL_EXPORTER_OTLP_ENDPOINT", value = "http://172.17.0.1:4317" }]
  }])
}

resource "aws_ecs_service" "api" {
  name            = "tracing-api"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = var.api_replicas
  launch_type     = "EC2"
}
