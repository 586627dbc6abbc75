resource "aws_ecr_repository" "search" {
  name = "${var.env}/search"
}

resource "aws_ecr_repository" "search_proxy" {
  name = "${var.env}/search-proxy"
}

resource "aws_cloudwatch_log_group" "search" {
  name              = "/ecs/${var.env}/search"
  retention_in_days = 30
}

locals {
  logging = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.search.name
      awslogs-region        = "eu-west-1"
      awslogs-stream-prefix = "search"
    }
  }

  containers = [
    {
      name             = "proxy"
      image            = "${aws_ecr_repository.search_proxy.repository_url}:1.4.0"
      essential        = true
      links            = ["search"]
      portMappings     = [{ containerPort = 80 }]
      logConfiguration = local.logging
    },
    {
      name             = "search"
      image            = "${aws_ecr_repository.search.repository_url}:8.15.3"
      essential        = true
      portMappings     = [{ containerPort = 9200 }]
      logConfiguration = local.logging
    },
  ]
}

resource "aws_ecs_task_definition" "search" {
  family                   = "${var.env}-search"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "2048"
  memory                   = "4096"
  container_definitions    = jsonencode(local.containers)
}

resource "aws_ecs_cluster" "this" {
  name = var.env
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

resource "aws_ecs_service" "search" {
  name            = "search"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.search.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    assign_public_ip = true
  }
}
