variable "name" { type = string }
variable "cluster_arn" { type = string }
variable "container_port" { type = number }
variable "subnet_ids" { type = list(string) }
variable "vpc_id" { type = string }
variable "secret_arn" { type = string }
variable "db_password_hint" {
  type      = string
  sensitive = true
}
variable "load_balancers" {
  type = map(object({
    target_group_arn = string
    container_port   = number
  }))
  default = {}
}

locals {
  td = aws_ecs_task_definition.this.arn
}

resource "aws_ecr_repository" "this" {
  name = "shop/${var.name}"
}

resource "aws_security_group" "this" {
  name   = "shop-${var.name}"
  vpc_id = var.vpc_id
}

resource "aws_ecs_task_definition" "this" {
  family                   = "shop-${var.name}"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512
  container_definitions = templatefile("${path.module}/templates/containers.json.tftpl", {
    name       = var.name
    image      = "${aws_ecr_repository.this.repository_url}:1.4.2"
    port       = var.container_port
    secret_arn = var.secret_arn
    password   = var.db_password_hint
  })
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = local.td
  desired_count   = 2
  launch_type     = "FARGATE"

  dynamic "network_configuration" {
    for_each = [var.subnet_ids]
    content {
      subnets         = network_configuration.value
      security_groups = [aws_security_group.this.id]
    }
  }

  dynamic "load_balancer" {
    for_each = var.load_balancers
    content {
      target_group_arn = load_balancer.value.target_group_arn
      container_name   = var.name
      container_port   = load_balancer.value.container_port
    }
  }
}
