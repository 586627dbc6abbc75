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

locals {
  zones = {
    "us-west-2a" = "10.90.0.0/24"
    "us-west-2b" = "10.90.1.0/24"
  }
}

resource "aws_vpc" "edge" {
  cidr_block = "10.90.0.0/16"
}

resource "aws_internet_gateway" "edge" {
  vpc_id = aws_vpc.edge.id
}

resource "aws_subnet" "public" {
  for_each = local.zones

  vpc_id                  = aws_vpc.edge.id
  availability_zone       = each.key
  cidr_block              = each.value
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.edge.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.edge.id
  }
}

resource "aws_route_table_association" "public" {
  for_each = aws_subnet.public

  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "web" {
  name   = "status-page"
  vpc_id = aws_vpc.edge.id

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_cluster" "edge" {
  name = "edge"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_instance" "ecs" {
  for_each = aws_subnet.public

  ami                  = data.aws_ssm_parameter.ami.value
  instance_type        = "t3.medium"
  subnet_id            = each.value.id
  iam_instance_profile = "ecsInstanceRole"
  user_data            = "#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.edge.name} >> /etc/ecs/ecs.config\n"
}

# Cheaper on the two reserved instances than on Fargate.
module "status_page" {
  source = "./modules/web-service"

  name            = "status-page"
  cluster         = aws_ecs_cluster.edge.arn
  launch_type     = "EC2"
  subnets         = [for s in aws_subnet.public : s.id]
  security_groups = [aws_security_group.web.id]
  image           = "123456789012.dkr.ecr.us-west-2.amazonaws.com/status-page:2.2.0"
}
