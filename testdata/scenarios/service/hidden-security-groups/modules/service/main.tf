# A service module in the community style: its own security groups plus any the caller
# passes, joined in a local and used inside a dynamic "network_configuration" block, which
# the plan's configuration section leaves out.
variable "name" { type = string }
variable "cluster_arn" { type = string }
variable "vpc_id" { type = string }
variable "subnet_ids" { type = list(string) }

variable "security_group_ids" {
  description = "Extra security groups for the tasks."
  type        = list(string)
  default     = []
}

variable "network_mode" {
  type    = string
  default = "awsvpc"
}

locals {
  security_groups = concat(var.security_group_ids, [for sg in aws_security_group.this : sg.id])
  awsvpc          = var.network_mode == "awsvpc" ? [1] : []
}

resource "aws_security_group" "this" {
  for_each    = toset(["ingress", "egress"])
  name_prefix = "${var.name}-${each.key}-"
  vpc_id      = var.vpc_id
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  network_mode             = var.network_mode
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name         = var.name
      image        = "public.ecr.aws/nginx/nginx:1.27"
      essential    = true
      portMappings = [{ containerPort = 8080, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  dynamic "network_configuration" {
    for_each = local.awsvpc
    content {
      subnets         = var.subnet_ids
      security_groups = local.security_groups
    }
  }
}
