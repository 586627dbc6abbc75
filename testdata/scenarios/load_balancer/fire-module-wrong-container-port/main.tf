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

variable "image_tag" {
  type    = string
  default = "0.17.0"
}

locals {
  app_port = 8080
}

resource "aws_vpc" "this" {
  cidr_block = "10.24.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
  cidr_block        = cidrsubnet("10.24.0.0/16", 4, count.index)
}

resource "aws_ecr_repository" "recommender" {
  name = "recommender"
}

resource "aws_cloudwatch_log_group" "recommender" {
  name = "/ecs/recommender"
}

resource "aws_ecs_cluster" "ml" {
  name = "ml"
}

# The container listens on 8080; the module's port variable keeps its default of 80.
module "recommender" {
  source = "./modules/service"

  name        = "recommender"
  cluster_arn = aws_ecs_cluster.ml.arn
  vpc_id      = aws_vpc.this.id
  subnet_ids  = aws_subnet.private[*].id

  container_definitions = jsonencode([{
    name         = "app"
    image        = "${aws_ecr_repository.recommender.repository_url}:${var.image_tag}"
    essential    = true
    portMappings = [{ containerPort = local.app_port, protocol = "tcp" }]
    environment  = [{ name = "PORT", value = tostring(local.app_port) }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.recommender.name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "app"
      }
    }
  }])
}
