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

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_lb" "hello" {
  name               = "hello"
  internal           = false
  load_balancer_type = "application"
  subnets            = data.aws_subnets.default.ids
}

# Straight from a tutorial written for EC2 instances.
resource "aws_lb_target_group" "hello" {
  name     = "hello"
  port     = 80
  protocol = "HTTP"
  vpc_id   = data.aws_vpc.default.id
}

resource "aws_lb_listener" "hello" {
  load_balancer_arn = aws_lb.hello.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.hello.arn
  }
}

resource "aws_ecs_cluster" "hello" {
  name = "hello"
}

resource "aws_ecs_task_definition" "hello" {
  family                   = "hello"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"

  container_definitions = <<-JSON
    [
      {
        "name": "hello",
        "image": "public.ecr.aws/nginx/nginx:1.27-alpine",
        "essential": true,
        "portMappings": [{ "containerPort": 80, "hostPort": 80 }]
      }
    ]
  JSON
}

resource "aws_ecs_service" "hello" {
  name            = "hello"
  cluster         = aws_ecs_cluster.hello.id
  task_definition = aws_ecs_task_definition.hello.arn
  launch_type     = "FARGATE"
  desired_count   = 1

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    assign_public_ip = true
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.hello.arn
    container_name   = "hello"
    container_port   = 80
  }

  depends_on = [aws_lb_listener.hello]
}
