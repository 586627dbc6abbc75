# Written like a community service module made for EC2 bridge workloads: one task
# definition per CPU architecture (for_each), the one the service runs picked through a local. The plan's configuration
# section shows `task_definition = local.task_definition` and nothing of the local, so from
# the plan alone the service can run either variant.
variable "name" { type = string }
variable "cluster_arn" { type = string }
variable "subnet_ids" { type = list(string) }
variable "security_group_ids" { type = list(string) }
variable "target_group_arn" { type = string }
variable "port" { type = number }
variable "lb_port" { type = number }
variable "launch_type" {
  type    = string
  default = "EC2"
}
variable "arm64" {
  type    = bool
  default = true
}

locals {
  architectures   = { x86 = "X86_64", arm64 = "ARM64" }
  task_definition = aws_ecs_task_definition.this[var.arm64 ? "arm64" : "x86"].arn
}

resource "aws_ecs_task_definition" "this" {
  for_each                 = local.architectures
  family                   = "${var.name}-${each.key}"
  network_mode = "bridge"
  memory       = 1024

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = each.value
  }

  container_definitions = jsonencode([{
    name         = var.name
    image        = "public.ecr.aws/docker/library/nginx:1.27"
    essential    = true
    portMappings = [{ containerPort = var.port, hostPort = 0, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = local.task_definition
  desired_count   = 2
  launch_type     = var.launch_type

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = var.security_group_ids
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = var.name
    container_port   = var.lb_port
  }
}
