variable "name" {
  type = string
}

variable "cluster_id" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "listener_arn" {
  type = string
}

variable "host_header" {
  type = string
}

variable "image" {
  type = string
}

variable "container_port" {
  type = number
}

variable "health_check" {
  description = "Target group health check settings."
  type = object({
    path = optional(string, "/")
    port = optional(string, "traffic-port")
  })
  default = {}
}

resource "aws_lb_target_group" "this" {
  name_prefix = "svc-"
  port        = var.container_port
  protocol    = "HTTP"
  vpc_id      = var.vpc_id

  health_check {
    path = var.health_check.path
    port = var.health_check.port
  }
}

resource "aws_lb_listener_rule" "this" {
  listener_arn = var.listener_arn

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  condition {
    host_header {
      values = [var.host_header]
    }
  }
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "bridge"

  container_definitions = jsonencode([{
    name              = var.name
    image             = var.image
    memoryReservation = 256
    essential         = true
    portMappings      = [{ containerPort = var.container_port, hostPort = 0 }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = 2

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = var.name
    container_port   = var.container_port
  }

  depends_on = [aws_lb_listener_rule.this]
}
