variable "context" { type = any }
variable "ecs_cluster_arn" { type = string }
variable "subnet_ids" { type = list(string) }
variable "vpc_id" { type = string }
variable "container_definition_json" { type = string }
variable "desired_count" { type = number }

variable "capacity_provider_strategies" {
  type = list(object({
    capacity_provider = string
    weight            = number
    base              = number
  }))
  default = []
}

variable "task_cpu" {
  type    = number
  default = 256
}

variable "task_memory" {
  type    = number
  default = 512
}

module "this" {
  source  = "../label"
  context = var.context
}

module "service_label" {
  source     = "../label"
  context    = var.context
  attributes = ["service"]
}

resource "aws_security_group" "ecs_service" {
  count       = module.this.enabled ? 1 : 0
  name        = module.service_label.id
  vpc_id      = var.vpc_id
  description = "ECS service ${module.this.id}"
  tags        = module.service_label.tags
}

resource "aws_ecs_task_definition" "default" {
  count                    = module.this.enabled ? 1 : 0
  family                   = module.this.id
  container_definitions    = var.container_definition_json
  requires_compatibilities = ["EC2"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  tags                     = module.this.tags
}

resource "aws_ecs_service" "default" {
  count           = module.this.enabled ? 1 : 0
  name            = module.this.id
  task_definition = "${join("", aws_ecs_task_definition.default[*].family)}:${join("", aws_ecs_task_definition.default[*].revision)}"
  desired_count   = var.desired_count
  cluster         = var.ecs_cluster_arn
  propagate_tags  = "SERVICE"

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategies
    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  network_configuration {
    security_groups  = compact(aws_security_group.ecs_service[*].id)
    subnets          = var.subnet_ids
    assign_public_ip = false
  }

  tags = module.this.tags
}

output "service_name" {
  value = one(aws_ecs_service.default[*].name)
}
