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

# A ledger service in a VPC without internet access: no internet gateway, no NAT gateway,
# and the subnets have no route table association, so they use the VPC's main route table,
# which holds only the local route. The images come from Amazon ECR, but only the ecr.dkr
# endpoint exists so far.
resource "aws_vpc" "ledger" {
  cidr_block           = "10.70.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = "ledger" }
}

resource "aws_subnet" "app" {
  for_each          = { "eu-west-1a" = "10.70.1.0/24", "eu-west-1b" = "10.70.2.0/24" }
  vpc_id            = aws_vpc.ledger.id
  availability_zone = each.key
  cidr_block        = each.value
  tags              = { Tier = "app" }
}

resource "aws_security_group" "endpoints" {
  name   = "ledger-endpoints"
  vpc_id = aws_vpc.ledger.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.ledger.cidr_block]
  }
}

resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = aws_vpc.ledger.id
  service_name        = "com.amazonaws.eu-west-1.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [for s in aws_subnet.app : s.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_ecr_repository" "ledger" {
  name = "ledger"
}

resource "aws_cloudwatch_log_group" "ledger" {
  name              = "/ecs/ledger"
  retention_in_days = 30
}

resource "aws_ecs_cluster" "ledger" {
  name = "ledger"
}

resource "aws_iam_role" "execution" {
  name = "ledger-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

resource "aws_ecs_task_definition" "ledger" {
  family                   = "ledger"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = aws_iam_role.execution.arn

  container_definitions = jsonencode([{
    name      = "ledger"
    image     = "${aws_ecr_repository.ledger.repository_url}:1.4.2"
    essential = true
    portMappings = [{ containerPort = 8443, protocol = "tcp" }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.ledger.name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "ledger"
      }
    }
  }])
}

resource "aws_security_group" "ledger" {
  name   = "ledger-tasks"
  vpc_id = aws_vpc.ledger.id
}

resource "aws_ecs_service" "ledger" {
  name            = "ledger"
  cluster         = aws_ecs_cluster.ledger.id
  task_definition = aws_ecs_task_definition.ledger.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = [for s in aws_subnet.app : s.id]
    security_groups = [aws_security_group.ledger.id]
  }
}
