# Written like a community service module: the task definition is reached through a local,
# and network_configuration and load_balancer are dynamic blocks, none of which the plan's
# configuration section shows.
variable "name" { type = string }
variable "cluster_arn" { type = string }
variable "subnet_ids" { type = list(string) }
variable "target_group_arn" { type = string }
variable "port" { type = number }
variable "desired_count" { type = number }

locals {
  task_definition = "${aws_ecs_task_definition.this.family}:${aws_ecs_task_definition.this.revision}"
  load_balancers  = { main = var.target_group_arn }
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = var.name
    image        = "public.ecr.aws/docker/library/nginx:1.27"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = var.port }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = local.task_definition
  desired_count   = var.desired_count

  dynamic "network_configuration" {
    for_each = length(var.subnet_ids) > 0 ? [1] : []
    content {
      subnets = var.subnet_ids
    }
  }

  dynamic "load_balancer" {
    for_each = local.load_balancers
    content {
      target_group_arn = load_balancer.value
      container_name   = var.name
      container_port   = var.port
    }
  }
}
