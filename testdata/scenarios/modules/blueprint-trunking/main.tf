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

variable "backend_desired_count" {
  type    = number
  default = 8
}

variable "awsvpc_trunking" {
  type    = bool
  default = false
}

module "core_infra" {
  source = "./modules/core-infra"

  core_stack_name = "ecs-blueprint-infra"
  vpc_cidr        = "10.0.0.0/16"
  instance_type   = "c5.large"
  asg_max_size    = 3
  awsvpc_trunking = var.awsvpc_trunking
}

module "backend" {
  source = "./modules/ecs-service"

  name              = "backend"
  ecs_cluster_name  = module.core_infra.cluster_name
  vpc_id            = module.core_infra.vpc_id
  subnet_ids        = module.core_infra.private_subnet_ids
  capacity_provider = module.core_infra.capacity_provider_name
  desired_count     = var.backend_desired_count
  container_image   = "public.ecr.aws/aws-containers/ecsdemo-nodejs:latest"
  container_port    = 3000
}
