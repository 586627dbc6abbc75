terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-central-1"
}

locals {
  name = "mqtt"
  ports = {
    mqtt  = 1883
    admin = 8081
  }
  azs = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
}

resource "aws_vpc" "iot" {
  cidr_block = "10.25.0.0/16"
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.iot.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet(aws_vpc.iot.cidr_block, 8, count.index)
}

resource "aws_lb" "mqtt" {
  name               = local.name
  load_balancer_type = "network"
  internal           = true
  subnets            = aws_subnet.private[*].id
}

# The broker's MQTT port takes traffic; health is checked on its admin port.
resource "aws_lb_target_group" "mqtt" {
  name        = local.name
  port        = local.ports.mqtt
  protocol    = "TCP"
  target_type = "ip"
  vpc_id      = aws_vpc.iot.id

  health_check {
    protocol = "HTTP"
    port     = tostring(local.ports.admin)
    path     = "/healthz"
  }
}

resource "aws_lb_listener" "mqtt" {
  load_balancer_arn = aws_lb.mqtt.arn
  port              = local.ports.mqtt
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.mqtt.arn
  }
}

resource "aws_ecs_cluster" "iot" {
  name = "iot"
}

resource "aws_ecs_task_definition" "broker" {
  family                   = "mqtt-broker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048

  container_definitions = jsonencode([{
    name      = "broker"
    image     = "emqx/emqx:5.8.0"
    essential = true
    portMappings = [
      for name, port in local.ports : { name = name, containerPort = port, protocol = "tcp" }
    ]
  }])
}

resource "aws_ecs_service" "broker" {
  name            = "mqtt-broker"
  cluster         = aws_ecs_cluster.iot.id
  task_definition = aws_ecs_task_definition.broker.arn
  desired_count   = 3
  launch_type     = "FARGATE"

  network_configuration {
    subnets = aws_subnet.private[*].id
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.mqtt.arn
    container_name   = "broker"
    container_port   = local.ports.mqtt
  }

  depends_on = [aws_lb_listener.mqtt]
}
