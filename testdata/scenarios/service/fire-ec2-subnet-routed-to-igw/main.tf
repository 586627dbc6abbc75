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

variable "instance_type" {
  type    = string
  default = "c5.large"
}

variable "crawler_count" {
  type    = number
  default = 2
}

locals {
  subnets = {
    a = { az = "eu-west-1a", cidr = "10.3.0.0/22" }
    b = { az = "eu-west-1b", cidr = "10.3.4.0/22" }
  }
}

resource "aws_vpc" "crawl" {
  cidr_block = "10.3.0.0/16"
}

resource "aws_internet_gateway" "crawl" {
  vpc_id = aws_vpc.crawl.id
}

# One flat tier: instances get public IPs from the launch template, not from the subnet.
resource "aws_subnet" "app" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.crawl.id
  availability_zone = each.value.az
  cidr_block        = each.value.cidr
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.crawl.id
}

resource "aws_route" "default" {
  route_table_id         = aws_route_table.app.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.crawl.id
}

resource "aws_route_table_association" "app" {
  for_each       = aws_subnet.app
  subnet_id      = each.value.id
  route_table_id = aws_route_table.app.id
}

resource "aws_ecs_cluster" "crawl" {
  name = "crawl"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "crawl" {
  name_prefix   = "crawl-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = var.instance_type

  network_interfaces {
    associate_public_ip_address = true
  }

  iam_instance_profile {
    name = "ecsInstanceRole"
  }

  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.crawl.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "crawl" {
  name                = "crawl"
  min_size            = 2
  max_size            = 2
  vpc_zone_identifier = [for s in aws_subnet.app : s.id]

  launch_template {
    id      = aws_launch_template.crawl.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "crawler" {
  family                   = "crawler"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([{
    name      = "crawler"
    image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/crawler:0.31.0"
    essential = true
    environment = [
      { name = "SEED_URL", value = "https://example.com/" }
    ]
  }])
}

resource "aws_ecs_service" "crawler" {
  name            = "crawler"
  cluster         = aws_ecs_cluster.crawl.id
  task_definition = aws_ecs_task_definition.crawler.arn
  desired_count   = var.crawler_count
  launch_type     = "EC2"

  network_configuration {
    subnets = [for s in aws_subnet.app : s.id]
  }
}
