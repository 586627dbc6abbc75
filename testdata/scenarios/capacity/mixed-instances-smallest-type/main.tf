terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-2"
}

variable "spot_types" {
  description = "Spot pools, cheapest first."
  type        = list(string)
  default     = ["t3.micro", "t3.small", "c5.large"]
}

locals {
  name = "jobs"
}

resource "aws_vpc" "jobs" {
  cidr_block = "10.24.0.0/16"
}

resource "aws_subnet" "jobs" {
  count             = 2
  vpc_id            = aws_vpc.jobs.id
  cidr_block        = "10.24.${count.index * 16}.0/20"
  availability_zone = "us-east-2${["a", "b"][count.index]}"
}

resource "aws_ecs_cluster" "jobs" {
  name = local.name
}

resource "aws_launch_template" "jobs" {
  name_prefix   = "${local.name}-"
  image_id      = "ami-0c9d8e7f6a5b43210"
  instance_type = "c5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${local.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "jobs" {
  name                  = local.name
  min_size              = 0
  max_size              = 6
  vpc_zone_identifier   = aws_subnet.jobs[*].id
  protect_from_scale_in = true

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 1
      on_demand_percentage_above_base_capacity = 0
      spot_allocation_strategy                 = "lowest-price"
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.jobs.id
        version            = "$Latest"
      }

      dynamic "override" {
        for_each = var.spot_types
        content {
          instance_type = override.value
        }
      }
    }
  }
}

resource "aws_ecs_capacity_provider" "jobs" {
  name = local.name

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.jobs.arn
    managed_termination_protection = "ENABLED"

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "jobs" {
  cluster_name       = aws_ecs_cluster.jobs.name
  capacity_providers = [aws_ecs_capacity_provider.jobs.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.jobs.name
    weight            = 1
  }
}

# X-Ray daemon on every node, awsvpc so it gets the tracing security group.
resource "aws_ecs_task_definition" "xray" {
  family       = "xray-daemon"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "xray"
    image        = "public.ecr.aws/xray/aws-xray-daemon:latest"
    essential    = true
    memory       = 64
    portMappings = [{ containerPort = 2000, protocol = "udp" }]
  }])
}

resource "aws_ecs_service" "xray" {
  name                = "xray-daemon"
  cluster             = aws_ecs_cluster.jobs.id
  task_definition     = aws_ecs_task_definition.xray.arn
  launch_type         = "EC2"
  scheduling_strategy = "DAEMON"

  network_configuration {
    subnets = aws_subnet.jobs[*].id
  }
}

resource "aws_ecs_task_definition" "scheduler" {
  family       = "job-scheduler"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name      = "scheduler"
    image     = "public.ecr.aws/docker/library/python:3.12"
    essential = true
    memory    = 256
  }])
}

resource "aws_ecs_service" "scheduler" {
  name            = "job-scheduler"
  cluster         = aws_ecs_cluster.jobs.id
  task_definition = aws_ecs_task_definition.scheduler.arn
  desired_count   = 2

  network_configuration {
    subnets = aws_subnet.jobs[*].id
  }

  depends_on = [aws_ecs_cluster_capacity_providers.jobs]
}
