terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "azs" {
  type    = list(string)
  default = ["us-east-1a", "us-east-1b"]
}

resource "aws_vpc" "lab" {
  cidr_block = "10.45.0.0/16"
}

resource "aws_internet_gateway" "lab" {
  vpc_id = aws_vpc.lab.id
}

resource "aws_subnet" "lab" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.lab.id
  availability_zone = var.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.lab.cidr_block, 8, count.index)
}

resource "aws_route_table" "lab" {
  vpc_id = aws_vpc.lab.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.lab.id
  }
}

resource "aws_route_table_association" "lab" {
  count          = length(var.azs)
  subnet_id      = aws_subnet.lab[count.index].id
  route_table_id = aws_route_table.lab.id
}

resource "aws_security_group" "lab" {
  name   = "lab-tasks"
  vpc_id = aws_vpc.lab.id
}

resource "aws_ecs_cluster" "lab" {
  name = "lab"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "lab" {
  name_prefix            = "lab-"
  image_id               = data.aws_ssm_parameter.ami.value
  instance_type          = "m5.large"
  vpc_security_group_ids = [aws_security_group.lab.id]
  user_data              = base64encode("#!/bin/bash\necho ECS_CLUSTER=lab >> /etc/ecs/ecs.config\n")

  network_interfaces {
    associate_public_ip_address = true
  }
}

resource "aws_autoscaling_group" "lab" {
  name                = "lab"
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = aws_subnet.lab[*].id

  launch_template {
    id      = aws_launch_template.lab.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "notebook" {
  family       = "notebook"
  network_mode = "awsvpc"
  cpu          = 1024
  memory       = 4096

  container_definitions = jsonencode([{
    name         = "jupyter"
    image        = "quay.io/jupyter/scipy-notebook:2024-10-07"
    essential    = true
    portMappings = [{ containerPort = 8888 }]
  }])
}

resource "aws_ecs_service" "notebook" {
  name            = "notebook"
  cluster         = aws_ecs_cluster.lab.id
  task_definition = aws_ecs_task_definition.notebook.arn
  desired_count   = 1
  launch_type     = "EC2"

  network_configuration {
    subnets         = aws_subnet.lab[*].id
    security_groups = [aws_security_group.lab.id]
  }
}
