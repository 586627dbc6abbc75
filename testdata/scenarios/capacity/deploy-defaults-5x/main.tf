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

# No service sets deployment_configuration or a strategy: the provider's defaults
# (maximum 200 %, minimum healthy 100 %) and the rolling ECS controller apply.

variable "name" {
  type    = string
  default = "web"
}

variable "services" {
  description = "Replica services of the EC2 cluster."
  type = map(object({
    network_mode  = string
    port          = number
    desired_count = number
  }))
  default = {
    api  = { network_mode = "awsvpc", port = 8080, desired_count = 6 }
    edge = { network_mode = "host", port = 8443, desired_count = 2 }
  }
}

locals {
  azs = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_vpc" "this" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.60.${count.index}.0/24"
  availability_zone = local.azs[count.index]
}

resource "aws_subnet" "batch" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.60.100.0/28"
  availability_zone = local.azs[0]
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "this" {
  name = var.name
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "${var.name}-ecs-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = "c5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${var.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "ecs" {
  name                = "${var.name}-ecs"
  min_size            = 3
  max_size            = 3
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "svc" {
  for_each     = var.services
  family       = "${var.name}-${each.key}"
  network_mode = each.value.network_mode
  container_definitions = jsonencode([{
    name              = each.key
    image             = "public.ecr.aws/docker/library/nginx:stable"
    essential         = true
    memoryReservation = 256
    portMappings      = [{ containerPort = each.value.port, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "svc" {
  for_each        = var.services
  name            = each.key
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.svc[each.key].arn
  desired_count   = each.value.desired_count
  launch_type     = "EC2"

  dynamic "network_configuration" {
    for_each = each.value.network_mode == "awsvpc" ? [1] : []
    content {
      subnets = aws_subnet.private[*].id
    }
  }
}

# Fargate: a worker pinned at exactly its desired count, and a batch service in a /28.
resource "aws_ecs_task_definition" "fargate" {
  for_each                 = toset(["worker", "batch"])
  family                   = "${var.name}-${each.key}"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name      = each.key
    image     = "public.ecr.aws/docker/library/busybox:stable"
    essential = true
    command   = ["sh", "-c", "while true; do sleep 60; done"]
  }])
}

resource "aws_ecs_service" "worker" {
  name                               = "worker"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.fargate["worker"].arn
  desired_count                      = 3
  launch_type                        = "FARGATE"
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 100

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}

resource "aws_ecs_service" "batch" {
  name            = "batch"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.fargate["batch"].arn
  desired_count   = 8
  launch_type     = "FARGATE"

  network_configuration {
    subnets = [aws_subnet.batch.id]
  }
}
