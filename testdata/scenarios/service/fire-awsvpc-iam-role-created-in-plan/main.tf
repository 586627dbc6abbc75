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

variable "desired_count" {
  type    = number
  default = 2
}

data "aws_iam_policy_document" "ecs_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs.amazonaws.com"]
    }
  }
}

# Copied from an old bridge-mode stack.
resource "aws_iam_role" "ecs_service" {
  name               = "tracking-ecs-service"
  assume_role_policy = data.aws_iam_policy_document.ecs_assume.json
}

resource "aws_iam_role_policy_attachment" "ecs_service" {
  role       = aws_iam_role.ecs_service.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceRole"
}

resource "aws_vpc" "this" {
  cidr_block = "10.16.0.0/16"
}

resource "aws_subnet" "private" {
  for_each          = toset(["eu-central-1a", "eu-central-1b"])
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = cidrsubnet("10.16.0.0/16", 8, index(["eu-central-1a", "eu-central-1b"], each.key))
}

resource "aws_lb_target_group" "tracking" {
  name_prefix = "trk-"
  port        = 8080
  protocol    = "HTTP"
  vpc_id      = aws_vpc.this.id
  target_type = "ip"
}

resource "aws_ecs_cluster" "this" {
  name = "tracking"
}

resource "aws_ecs_task_definition" "tracking" {
  family                   = "tracking"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name         = "tracking"
    image        = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/tracking:0.4.2"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "tracking" {
  name            = "tracking"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.tracking.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"
  iam_role        = aws_iam_role.ecs_service.arn

  load_balancer {
    target_group_arn = aws_lb_target_group.tracking.arn
    container_name   = "tracking"
    container_port   = 8080
  }

  network_configuration {
    subnets = values(aws_subnet.private)[*].id
  }

  depends_on = [aws_iam_role_policy_attachment.ecs_service]
}
