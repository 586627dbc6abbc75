terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "ca-central-1"
}

locals {
  name = "studio"
}

resource "aws_vpc" "this" {
  cidr_block = "10.94.0.0/16"
}

resource "aws_subnet" "this" {
  for_each          = { "ca-central-1a" = "10.94.1.0/24", "ca-central-1b" = "10.94.2.0/24" }
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

resource "aws_ecs_task_definition" "render" {
  family                   = "render"
  network_mode             = "awsvpc"
  requires_compatibilities = ["MANAGED_INSTANCES"]
  cpu                      = "2048"
  memory                   = "4096"
  container_definitions = jsonencode([{
    name      = "render"
    image     = "123456789012.dkr.ecr.ca-central-1.amazonaws.com/render:8.1"
    essential = true
  }])
}

# A node metrics agent shares the instance's network namespace.
resource "aws_ecs_task_definition" "metrics" {
  family                   = "metrics"
  network_mode             = "host"
  requires_compatibilities = ["MANAGED_INSTANCES"]
  cpu                      = "256"
  memory                   = "256"
  container_definitions = jsonencode([{
    name         = "metrics"
    image        = "public.ecr.aws/example/node-metrics:2"
    essential    = true
    portMappings = [{ containerPort = 9100 }]
  }])
}
