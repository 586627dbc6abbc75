locals {
  region = "eu-west-1"
  name   = "shop-${var.environment}"
  azs    = ["${local.region}a", "${local.region}b", "${local.region}c"]

  tags = {
    Environment = var.environment
    Repository  = "github.com/example/shop-infra"
  }
}

data "aws_ssm_parameter" "ecs_optimized_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

module "vpc" {
  source = "./modules/vpc"

  name            = local.name
  cidr            = "10.0.0.0/16"
  azs             = local.azs
  private_subnets = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
  public_subnets  = ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"]
  tags            = local.tags
}

resource "aws_ecs_account_setting_default" "awsvpc_trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

module "autoscaling" {
  source = "./modules/autoscaling"

  name                  = "${local.name}-ecs"
  image_id              = nonsensitive(data.aws_ssm_parameter.ecs_optimized_ami.value)
  instance_type         = var.instance_type
  min_size              = 1
  max_size              = var.max_instances
  vpc_zone_identifier   = module.vpc.private_subnets
  protect_from_scale_in = true
  user_data = base64encode(<<-EOT
    #!/bin/bash
    cat <<'EOF' >> /etc/ecs/ecs.config
    ECS_CLUSTER=${local.name}
    ECS_LOGLEVEL=info
    EOF
  EOT
  )
  autoscaling_group_tags = { AmazonECSManaged = "true" }
}

module "ecs_cluster" {
  source = "./modules/cluster"

  cluster_name = local.name

  autoscaling_capacity_providers = {
    (local.name) = {
      auto_scaling_group_arn = module.autoscaling.autoscaling_group_arn
      managed_scaling = {
        maximum_scaling_step_size = 2
        minimum_scaling_step_size = 1
        target_capacity           = 100
      }
      default_capacity_provider_strategy = {
        weight = 100
        base   = 1
      }
    }
  }

  tags = local.tags
}

resource "aws_security_group" "services" {
  name_prefix = "${local.name}-services-"
  vpc_id      = module.vpc.vpc_id
  tags        = local.tags
}

module "service" {
  source   = "./modules/service"
  for_each = var.services

  name        = each.key
  cluster_arn = module.ecs_cluster.arn

  desired_count                      = each.value.desired_count
  deployment_maximum_percent         = each.value.max_percent
  deployment_minimum_healthy_percent = each.value.min_healthy_pct

  capacity_provider_strategy = {
    default = {
      capacity_provider = module.ecs_cluster.autoscaling_capacity_providers[local.name].name
      weight            = 1
    }
  }

  cpu    = 256
  memory = 512
  container_definitions = {
    (each.key) = {
      image = each.value.image
      port_mappings = [{
        name          = "http"
        containerPort = each.value.container_port
      }]
      readonly_root_filesystem = false
    }
  }

  subnet_ids         = module.vpc.private_subnets
  security_group_ids = [aws_security_group.services.id]

  deployment_circuit_breaker = {
    enable   = true
    rollback = true
  }

  tags = local.tags
}
