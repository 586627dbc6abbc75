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

variable "ledger_count" {
  type    = number
  default = 2
}

locals {
  azs = ["eu-west-1a", "eu-west-1b"]
}

resource "aws_vpc" "this" {
  cidr_block           = "10.48.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
}

resource "aws_security_group" "internal" {
  name   = "fin-internal"
  vpc_id = aws_vpc.this.id
}

resource "aws_service_discovery_private_dns_namespace" "fin" {
  name = "fin.internal"
  vpc  = aws_vpc.this.id
}

# Clients resolve ledger.fin.internal (A) and _ledger._tcp (SRV) for the port.
resource "aws_service_discovery_service" "ledger" {
  name = "ledger"

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.fin.id
    routing_policy = "MULTIVALUE"

    dns_records {
      ttl  = 10
      type = "A"
    }

    dns_records {
      ttl  = 10
      type = "SRV"
    }
  }

  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_ecs_cluster" "fin" {
  name = "fin"
}

module "ledger" {
  source = "./modules/svc"

  name               = "ledger"
  cluster_id         = aws_ecs_cluster.fin.id
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.internal.id]
  image              = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ledger:7.7.0"
  port               = 7070
  desired_count      = var.ledger_count

  service_discovery = {
    registry_arn = aws_service_discovery_service.ledger.arn
    srv          = true
  }
}

# Batch jobs call the ledger; nothing resolves them.
module "settlement" {
  source = "./modules/svc"

  name               = "settlement"
  cluster_id         = aws_ecs_cluster.fin.id
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.internal.id]
  image              = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/settlement:7.7.0"
  port               = 8080
}
