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

# Attribute-based instance selection: EC2 picks any type with 2-4 vCPUs and 4-16 GiB,
# so which types (and how many ENIs) the group will run is decided at launch.

resource "aws_vpc" "batch" {
  cidr_block = "10.14.0.0/16"
}

resource "aws_subnet" "batch" {
  count             = 3
  vpc_id            = aws_vpc.batch.id
  cidr_block        = cidrsubnet("10.14.0.0/16", 6, count.index)
  availability_zone = "us-east-1${["a", "b", "c"][count.index]}"
}

resource "aws_ecs_cluster" "batch" {
  name = "batch"
}

resource "aws_launch_template" "batch" {
  name_prefix = "batch-"
  image_id    = "ami-0e2f4a6c8b0d13579"
  user_data   = base64encode("#!/bin/bash\necho ECS_CLUSTER=batch >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "batch" {
  name                = "batch"
  min_size            = 0
  max_size            = 6
  vpc_zone_identifier = aws_subnet.batch[*].id

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 0
      on_demand_percentage_above_base_capacity = 0
      spot_allocation_strategy                 = "price-capacity-optimized"
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.batch.id
        version            = "$Latest"
      }

      override {
        instance_requirements {
          vcpu_count {
            min = 2
            max = 4
          }
          memory_mib {
            min = 4096
            max = 16384
          }
          burstable_performance = "excluded"
        }
      }
    }
  }
}

resource "aws_ecs_capacity_provider" "batch" {
  name = "batch-spot"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.batch.arn

    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "batch" {
  cluster_name       = aws_ecs_cluster.batch.name
  capacity_providers = [aws_ecs_capacity_provider.batch.name]
}

resource "aws_ecs_task_definition" "transcode" {
  family       = "transcode"
  network_mode = "awsvpc"
  cpu          = "1024"
  memory       = "2048"
  container_definitions = jsonencode([{
    name      = "ffmpeg"
    image     = "public.ecr.aws/docker/library/alpine:3.20"
    essential = true
    command   = ["sh", "-c", "sleep infinity"]
  }])
}

resource "aws_ecs_service" "transcode" {
  name            = "transcode"
  cluster         = aws_ecs_cluster.batch.id
  task_definition = aws_ecs_task_definition.transcode.arn
  desired_count   = 10

  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.batch.name
    weight            = 1
  }

  network_configuration {
    subnets = aws_subnet.batch[*].id
  }

  depends_on = [aws_ecs_cluster_capacity_providers.batch]
}
