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

data "aws_ssm_parameter" "ami_arm64" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id"
}

resource "aws_vpc" "ingest" {
  cidr_block = "10.81.0.0/16"
}

resource "aws_subnet" "ingest" {
  count             = 2
  vpc_id            = aws_vpc.ingest.id
  cidr_block        = cidrsubnet(aws_vpc.ingest.cidr_block, 4, count.index)
  availability_zone = element(["eu-west-1a", "eu-west-1b"], count.index)
}

resource "aws_ecs_cluster" "ingest" {
  name = "ingest"
}

resource "aws_launch_template" "ingest" {
  name_prefix   = "ingest-"
  image_id      = data.aws_ssm_parameter.ami_arm64.value
  instance_type = var.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=ingest >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "ingest" {
  name                  = "ingest"
  min_size              = 1
  max_size              = var.max_instances
  vpc_zone_identifier   = aws_subnet.ingest[*].id
  protect_from_scale_in = true

  launch_template {
    id      = aws_launch_template.ingest.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "ingest" {
  name = "ingest"

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.ingest.arn
    managed_termination_protection = "ENABLED"

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "ingest" {
  cluster_name       = aws_ecs_cluster.ingest.name
  capacity_providers = [aws_ecs_capacity_provider.ingest.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.ingest.name
    weight            = 1
  }
}

# Log router on every node, in awsvpc mode so it has its own security group.
resource "aws_ecs_task_definition" "log_router" {
  family       = "log-router"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name      = "fluent-bit"
    image     = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
    essential = true
    memory    = 128
  }])
}

resource "aws_ecs_service" "log_router" {
  name                = "log-router"
  cluster             = aws_ecs_cluster.ingest.id
  task_definition     = aws_ecs_task_definition.log_router.arn
  launch_type         = "EC2"
  scheduling_strategy = "DAEMON"

  network_configuration {
    subnets = aws_subnet.ingest[*].id
  }
}

resource "aws_ecs_task_definition" "collector" {
  family       = "collector"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "collector"
    image        = "public.ecr.aws/aws-observability/aws-otel-collector:latest"
    essential    = true
    memory       = 512
    portMappings = [{ containerPort = 4317 }, { containerPort = 4318 }]
  }])
}

resource "aws_ecs_service" "collector" {
  name            = "collector"
  cluster         = aws_ecs_cluster.ingest.id
  task_definition = aws_ecs_task_definition.collector.arn
  desired_count   = 2

  network_configuration {
    subnets = aws_subnet.ingest[*].id
  }

  depends_on = [aws_ecs_cluster_capacity_providers.ingest]
}
