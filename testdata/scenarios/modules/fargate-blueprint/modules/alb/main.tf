variable "name" { type = string }
variable "vpc_id" { type = string }
variable "subnets" { type = list(string) }

variable "target_groups" {
  type = map(object({
    port              = number
    health_check_path = optional(string, "/")
  }))
}

resource "aws_security_group" "this" {
  name   = "${var.name}-alb"
  vpc_id = var.vpc_id

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb" "this" {
  name            = var.name
  subnets         = var.subnets
  security_groups = [aws_security_group.this.id]
}

resource "aws_lb_target_group" "this" {
  for_each    = var.target_groups
  name_prefix = substr(each.key, 0, 6)
  port        = each.value.port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id

  health_check {
    path = each.value.health_check_path
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[keys(var.target_groups)[0]].arn
  }
}

output "target_group_arns" {
  value = { for k, v in aws_lb_target_group.this : k => v.arn }
}

output "security_group_id" {
  value = aws_security_group.this.id
}
