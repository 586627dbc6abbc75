terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "sa-east-1"
}

variable "replicas" {
  type    = number
  default = 3
}

resource "aws_vpc" "edge" {
  cidr_block = "10.33.0.0/16"
}

resource "aws_subnet" "edge" {
  count                   = 2
  vpc_id                  = aws_vpc.edge.id
  cidr_block              = "10.33.${count.index}.0/24"
  availability_zone       = "sa-east-1${["a", "c"][count.index]}"
  map_public_ip_on_launch = true
}

resource "aws_ecs_cluster" "edge" {
  name = "edge"
}

resource "aws_launch_template" "edge" {
  name_prefix   = "edge-"
  image_id      = "ami-0ab12cd34ef56a789"
  instance_type = "m5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=edge >> /etc/ecs/ecs.config\n")

  network_interfaces {
    associate_public_ip_address = true
    security_groups             = [aws_security_group.edge.id]
  }
}

resource "aws_security_group" "edge" {
  name   = "edge"
  vpc_id = aws_vpc.edge.id

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_autoscaling_group" "edge" {
  name                = "edge"
  min_size            = 2
  max_size            = 2
  vpc_zone_identifier = aws_subnet.edge[*].id

  launch_template {
    id      = aws_launch_template.edge.id
    version = "$Latest"
  }
}

# Envoy front proxy in host mode: it binds port 80 on the instance itself.
resource "aws_ecs_task_definition" "envoy" {
  family       = "edge-envoy"
  network_mode = "host"
  container_definitions = jsonencode([{
    name              = "envoy"
    image             = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod"
    essential         = true
    memoryReservation = 256
    portMappings = [
      { containerPort = 80, protocol = "tcp" },
      { containerPort = 9901, protocol = "tcp" },
    ]
  }])
}

resource "aws_ecs_service" "envoy" {
  name            = "edge-envoy"
  cluster         = aws_ecs_cluster.edge.id
  task_definition = aws_ecs_task_definition.envoy.arn
  desired_count   = var.replicas
  launch_type     = "EC2"

  ordered_placement_strategy {
    type  = "spread"
    field = "attribute:ecs.availability-zone"
  }
}
