terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

module "this" {
  source = "./modules/label"
  context = {
    enabled     = true
    namespace   = var.namespace
    environment = "usw2"
    stage       = var.stage
    name        = "telemetry"
    attributes  = []
    tags        = { Team = "observability" }
  }
}

resource "aws_vpc" "default" {
  cidr_block = "172.16.10.0/24"
  tags       = module.this.tags
}

module "subnets" {
  source = "./modules/dynamic-subnets"

  context            = module.this.context
  vpc_id             = aws_vpc.default.id
  ipv4_cidr_block    = aws_vpc.default.cidr_block
  availability_zones = var.availability_zones
}

module "ecs_cluster" {
  source = "./modules/ecs-cluster"

  context    = module.this.context
  subnet_ids = module.subnets.private_subnet_ids

  capacity_providers_ec2 = {
    default = {
      instance_type = "c5.xlarge"
      image_id      = "ami-0b2c4d6e8f0a13579"
      min_size      = 2
      max_size      = var.instances_max
    }
  }
}

module "container_definition" {
  source = "./modules/container-definition"

  container_name   = "ingest"
  container_image  = "public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0"
  container_memory = 256
  port_mappings = [
    { containerPort = 4317 },
    { containerPort = 4318 },
  ]
}

module "ingest" {
  source = "./modules/ecs-service-task"

  context                   = merge(module.this.context, { name = "ingest" })
  ecs_cluster_arn           = module.ecs_cluster.arn
  vpc_id                    = aws_vpc.default.id
  subnet_ids                = module.subnets.private_subnet_ids
  container_definition_json = module.container_definition.json_map_encoded_list
  desired_count             = var.ingest_desired_count

  capacity_provider_strategies = [{
    capacity_provider = module.ecs_cluster.capacity_provider_names["default"]
    weight            = 1
    base              = 0
  }]
}
