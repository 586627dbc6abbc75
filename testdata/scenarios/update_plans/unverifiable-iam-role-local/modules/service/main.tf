# terraform-aws-modules style: the service role is created, or taken from a variable, only
# where it is needed; the decision is a local.
variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "desired_count" {
  type = number
}

variable "network_mode" {
  type    = string
  default = "awsvpc"
}

variable "create_iam_role" {
  type    = bool
  default = true
}

variable "iam_role_arn" {
  type    = string
  default = null
}

variable "load_balancers" {
  type    = list(object({ target_group_arn = string, container_port = number }))
  default = []
}

locals {
  needs_iam_role = var.network_mode != "awsvpc" && length(var.load_balancers) > 0
  iam_role_arn   = local.needs_iam_role ? try(aws_iam_role.service[0].arn, var.iam_role_arn) : null
}

resource "aws_iam_role" "service" {
  count = local.needs_iam_role && var.create_iam_role ? 1 : 0

  name = "${var.name}-service"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs.amazonaws.com" } }]
  })
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = var.network_mode
  cpu                      = 512
  memory                   = 1024

  container_definitions = jsonencode([{
    name         = var.name
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/${var.name}:7.4.2"
    essential    = true
    portMappings = [{ containerPort = 9200 }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"
  iam_role        = local.iam_role_arn

  network_configuration {
    subnets = var.subnet_ids
  }
}
