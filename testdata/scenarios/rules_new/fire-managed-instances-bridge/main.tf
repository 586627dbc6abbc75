terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-east-2"
}

locals {
  name = "studio"
}

resource "aws_vpc" "this" {
  cidr_block = "10.94.0.0/16"
}

resource "aws_subnet" "this" {
  for_each          = { "us-east-2a" = "10.94.1.0/24", "us-east-2b" = "10.94.2.0/24" }
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_security_group" "this" {
  name   = local.name
  vpc_id = aws_vpc.this.id
}

data "aws_iam_policy_document" "ecs_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "infrastructure" {
  name               = "${local.name}-ecs-infrastructure"
  assume_role_policy = data.aws_iam_policy_document.ecs_assume.json
}

resource "aws_iam_role_policy_attachment" "infrastructure" {
  role       = aws_iam_role.infrastructure.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances"
}

resource "aws_iam_role" "instance" {
  name               = "${local.name}-ecs-instance"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_instance_profile" "instance" {
  name = "${local.name}-ecs-instance"
  role = aws_iam_role.instance.name
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

resource "aws_ecs_capacity_provider" "managed" {
  name    = "${local.name}-managed"
  cluster = aws_ecs_cluster.this.name

  managed_instances_provider {
    infrastructure_role_arn = aws_iam_role.infrastructure.arn
    propagate_tags          = "CAPACITY_PROVIDER"

    instance_launch_template {
      ec2_instance_profile_arn = aws_iam_instance_profile.instance.arn
      monitoring               = "BASIC"

      network_configuration {
        subnets         = [for s in aws_subnet.this : s.id]
        security_groups = [aws_security_group.this.id]
      }

      instance_requirements {
        vcpu_count {
          min = 2
          max = 8
        }
        memory_mib {
          min = 4096
          max = 32768
        }
        cpu_manufacturers = ["amazon-web-services"]
      }
    }
  }

  depends_on = [aws_iam_role_policy_attachment.infrastructure]
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = [aws_ecs_capacity_provider.managed.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.managed.name
    weight            = 1
  }
}

# Render jobs moved to Managed Instances; the task definition still relies on the old
# default network mode (omitted).
resource "aws_ecs_task_definition" "render" {
  family                   = "render"
  requires_compatibilities = ["MANAGED_INSTANCES"]
  cpu                      = "2048"
  memory                   = "4096"
  container_definitions = jsonencode([{
    name      = "render"
    image     = "123456789012.dkr.ecr.us-east-2.amazonaws.com/render:8.1"
    essential = true
  }])
}

resource "aws_ecs_service" "render" {
  name            = "render"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.render.arn
  desired_count   = 2

  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.managed.name
    weight            = 1
  }
}

# An EC2-era bridge task definition reused by a service on the Managed Instances provider.
resource "aws_ecs_task_definition" "thumbnails" {
  family                   = "thumbnails"
  network_mode             = "bridge"
  requires_compatibilities = ["EC2"]
  container_definitions = jsonencode([{
    name         = "thumbnails"
    image        = "123456789012.dkr.ecr.us-east-2.amazonaws.com/thumbnails:3"
    essential    = true
    memory       = 512
    portMappings = [{ containerPort = 8080, hostPort = 0 }]
  }])
}

resource "aws_ecs_service" "thumbnails" {
  name            = "thumbnails"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.thumbnails.arn
  desired_count   = 2

  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.managed.name
    weight            = 1
  }
}
