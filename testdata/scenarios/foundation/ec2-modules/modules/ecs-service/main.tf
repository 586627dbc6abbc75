# One ECS service behind the shared internal load balancer, on the cluster's EC2
# capacity provider. awsvpc services get a security group and a network_configuration;
# services in the default (bridge) mode get neither.

variable "name" {
  type = string
}

variable "environment" {
  type = string
}

variable "cluster_id" {
  type = string
}

variable "capacity_provider" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "listener_arn" {
  type = string
}

variable "listener_priority" {
  type = number
}

variable "network_mode" {
  description = "awsvpc, or null for the default mode."
  type        = string
  default     = null
}

variable "container_port" {
  type = number
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "minimum_healthy_percent" {
  type    = number
  default = 100
}

variable "health_check" {
  type = object({ path = string, port = string })
}

variable "service_registries" {
  description = "Cloud Map services to register the tasks in (at most one)."
  type        = list(object({ registry_arn = string }))
  default     = []
}

variable "cpu" {
  type = number
}

variable "memory" {
  type = number
}

variable "containers" {
  description = "Container definitions; the first container takes the load balancer's traffic."
  type        = any
}

locals {
  awsvpc = var.network_mode == "awsvpc"
}

module "task" {
  source = "../ecs-task"

  family       = "${var.environment}-${var.name}"
  network_mode = var.network_mode
  cpu          = var.cpu
  memory       = var.memory
  containers   = var.containers
}

resource "aws_security_group" "this" {
  count = local.awsvpc ? 1 : 0

  name   = "${var.environment}-${var.name}"
  vpc_id = var.vpc_id

  ingress {
    from_port   = var.container_port
    to_port     = var.container_port
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb_target_group" "this" {
  name                 = "${var.environment}-${var.name}"
  port                 = var.container_port
  protocol             = "HTTP"
  target_type          = local.awsvpc ? "ip" : "instance"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = var.health_check.path
    port                = var.health_check.port
    healthy_threshold   = 3
    unhealthy_threshold = 3
    interval            = 15
    timeout             = 5
    matcher             = "200"
  }
}

resource "aws_lb_listener_rule" "this" {
  listener_arn = var.listener_arn
  priority     = var.listener_priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  condition {
    path_pattern {
      values = ["/${var.name}/*"]
    }
  }
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = var.cluster_id
  task_definition                    = module.task.arn
  desired_count                      = var.desired_count
  deployment_minimum_healthy_percent = var.minimum_healthy_percent

  capacity_provider_strategy {
    capacity_provider = var.capacity_provider
    weight            = 1
  }

  dynamic "network_configuration" {
    for_each = local.awsvpc ? [1] : []
    content {
      subnets          = var.subnet_ids
      security_groups  = [aws_security_group.this[0].id]
      assign_public_ip = false
    }
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = var.name
    container_port   = var.container_port
  }

  dynamic "service_registries" {
    for_each = var.service_registries
    content {
      registry_arn = service_registries.value.registry_arn
    }
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  depends_on = [aws_lb_listener_rule.this]
}

output "service_name" {
  value = aws_ecs_service.this.name
}
