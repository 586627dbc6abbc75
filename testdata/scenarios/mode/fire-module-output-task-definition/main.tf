terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-west-3"
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

resource "aws_vpc" "main" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = "eu-west-3${["a", "b"][count.index]}"
}

module "task" {
  source = "./modules/task"

  family = "pdf-export"
  image  = "123456789012.dkr.ecr.eu-west-3.amazonaws.com/pdf-export:0.4.0"
}

module "service" {
  source = "./modules/service"

  name                = "pdf-export"
  cluster_arn         = aws_ecs_cluster.main.arn
  task_definition_arn = module.task.arn
  subnet_ids          = aws_subnet.private[*].id
}
