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

# A small isolated VPC carved into /28s for a PCI workload.
resource "aws_vpc" "pci" {
  cidr_block = "10.250.0.0/24"
}

resource "aws_subnet" "pci_a" {
  vpc_id            = aws_vpc.pci.id
  cidr_block        = "10.250.0.0/28"
  availability_zone = "eu-west-1a"
}

resource "aws_ecs_cluster" "pci" {
  name = "pci"
}

resource "aws_cloudwatch_log_group" "tokenizer" {
  name = "/pci/tokenizer"
}

resource "aws_ecs_task_definition" "tokenizer" {
  family                   = "tokenizer"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "1024"
  memory                   = "2048"
  container_definitions = jsonencode([{
    name         = "tokenizer"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/tokenizer:2.3.0"
    essential    = true
    portMappings = [{ containerPort = 8443 }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.tokenizer.name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "tokenizer"
      }
    }
  }])
}

# 8 tasks fit the /28 (11 usable addresses), the default rolling deployment (up to 16) does not.
resource "aws_ecs_service" "tokenizer" {
  name            = "tokenizer"
  cluster         = aws_ecs_cluster.pci.id
  task_definition = aws_ecs_task_definition.tokenizer.arn
  desired_count   = 8
  launch_type     = "FARGATE"

  network_configuration {
    subnets = [aws_subnet.pci_a.id]
  }
}
