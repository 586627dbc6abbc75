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

# An application stack on the platform team's shared cluster: the cluster, its instances
# and the VPC live in the platform stack, outside this plan.
variable "cluster_name" {
  type    = string
  default = "platform-ec2"
}

variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0c4d5e6f7a8b90011", "subnet-0c4d5e6f7a8b90022"]
}

data "aws_ecs_cluster" "platform" {
  cluster_name = var.cluster_name
}

resource "aws_ecs_task_definition" "quotes" {
  family       = "quotes"
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "512"
  container_definitions = jsonencode([{
    name         = "quotes"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/quotes:4.1.0"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "quotes" {
  name                               = "quotes"
  cluster                            = data.aws_ecs_cluster.platform.arn
  task_definition                    = aws_ecs_task_definition.quotes.arn
  desired_count                      = 6
  launch_type                        = "EC2"
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 50

  network_configuration {
    subnets = var.private_subnet_ids
  }
}
