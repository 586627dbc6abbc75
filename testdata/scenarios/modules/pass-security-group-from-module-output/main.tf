terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# The layout of many small public projects: a networking module that creates the VPC and
# the services' security group, and an ECS module that receives the group's id as a list.
# On create the id is unknown, so the planned security_groups set is wholly unknown; the
# references (var.security_group_ids → module.networking.ecs_security_group_id →
# aws_security_group.ecs.id) name one group, so each service has one.
module "networking" {
  source = "./modules/networking"
  name   = "whisper"
}

module "ecs" {
  source             = "./modules/ecs"
  name               = "whisper"
  subnet_ids         = module.networking.public_subnet_ids
  security_group_ids = [module.networking.ecs_security_group_id]
}
