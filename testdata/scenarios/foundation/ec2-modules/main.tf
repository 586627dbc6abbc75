# An EC2 estate built from local modules: a VPC from module.network, a cluster whose
# capacity provider scales a mixed-instances autoscaling group (launch template user data
# in base64), awsvpc trunking enabled for the account, and one module.service instance per
# service, each with its task definition in a nested module.task. The worker's container
# definitions carry a sensitive database password. legacy.tf holds an older service
# written with literal ids.

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
  region = "eu-west-1"

  default_tags {
    tags = {
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "db_password" {
  description = "Password of the worker's database (from the secret store in CI)."
  type        = string
  sensitive   = true
  default     = "CANARY-SENSITIVE-fixture-1-do-not-print"
}

module "network" {
  source = "./modules/network"

  name     = var.environment
  vpc_cidr = "10.20.0.0/16"
  azs      = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_ecs_cluster" "main" {
  name = "${var.environment}-core"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "${var.environment}-core-"
  image_id      = nonsensitive(data.aws_ssm_parameter.ecs_ami.value)
  instance_type = "c5.large"

  iam_instance_profile {
    name = "ecs-instance"
  }

  user_data = base64encode(<<-EOT
    #!/bin/bash
    cat <<'CFG' >> /etc/ecs/ecs.config
    ECS_CLUSTER=${aws_ecs_cluster.main.name}
    ECS_ENABLE_TASK_IAM_ROLE=true
    CFG
  EOT
  )
}

resource "aws_autoscaling_group" "ecs" {
  name                  = "${var.environment}-core-ecs"
  min_size              = 1
  max_size              = 6
  desired_capacity      = 3
  protect_from_scale_in = true
  vpc_zone_identifier   = module.network.private_subnet_ids

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 1
      on_demand_percentage_above_base_capacity = 50
      spot_allocation_strategy                 = "price-capacity-optimized"
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.ecs.id
        version            = "$Latest"
      }

      override {
        instance_type     = "c5.large"
        weighted_capacity = "1"
      }
      override {
        instance_type     = "c5a.large"
        weighted_capacity = "1"
      }
      override {
        instance_type     = "m5.xlarge"
        weighted_capacity = "2"
      }
    }
  }

  tag {
    key                 = "AmazonECSManaged"
    value               = "true"
    propagate_at_launch = true
  }
}

resource "aws_ecs_capacity_provider" "ec2" {
  name = "${var.environment}-core-ec2"

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.ecs.arn
    managed_termination_protection = "ENABLED"
    managed_draining               = "ENABLED"

    managed_scaling {
      status                    = "ENABLED"
      target_capacity           = 90
      maximum_scaling_step_size = 2
      minimum_scaling_step_size = 1
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", aws_ecs_capacity_provider.ec2.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.ec2.name
    weight            = 1
    base              = 0
  }
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}
