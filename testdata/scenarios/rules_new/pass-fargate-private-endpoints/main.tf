terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-central-1"
}

locals {
  name   = "billing"
  region = "eu-central-1"
  zones  = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
}

# An isolated ("intra") tier: its route table has no route out of the VPC. Everything the
# tasks need comes through VPC endpoints: ECR (images), S3 (image layers), CloudWatch Logs
# (awslogs) and Secrets Manager (secrets).
resource "aws_vpc" "this" {
  cidr_block           = "10.90.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "intra" {
  count             = length(local.zones)
  vpc_id            = aws_vpc.this.id
  availability_zone = local.zones[count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, 100 + count.index)
}

resource "aws_route_table" "intra" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "intra" {
  count          = length(local.zones)
  subnet_id      = aws_subnet.intra[count.index].id
  route_table_id = aws_route_table.intra.id
}

resource "aws_security_group" "endpoints" {
  name_prefix = "${local.name}-vpce-"
  vpc_id      = aws_vpc.this.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.this.cidr_block]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(["ecr.dkr", "ecr.api", "logs", "secretsmanager"])
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.intra[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.intra.id]
}

resource "aws_cloudwatch_log_group" "this" {
  name = "/ecs/${local.name}"
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.name
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 1024
  memory                   = 2048
  execution_role_arn       = "arn:aws:iam::123456789012:role/billing-execution"

  container_definitions = jsonencode([{
    name         = local.name
    image        = "123456789012.dkr.ecr.${local.region}.amazonaws.com/billing:2.3.0"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
    secrets = [
      { name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:${local.region}:123456789012:secret:billing/db-AbCdEf" }
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = "/ecs/${local.name}"
        awslogs-region        = local.region
        awslogs-stream-prefix = local.name
      }
    }
  }])
}

resource "aws_security_group" "tasks" {
  name_prefix = "${local.name}-tasks-"
  vpc_id      = aws_vpc.this.id
}
