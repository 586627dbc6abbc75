variable "family" {
  type = string
}

variable "image" {
  type = string
}

variable "network_mode" {
  type    = string
  default = null
}

variable "requires_compatibilities" {
  type    = list(string)
  default = ["EC2"]
}

variable "cpu" {
  type    = number
  default = null
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.family
  network_mode             = var.network_mode
  requires_compatibilities = var.requires_compatibilities
  cpu                      = var.cpu
  memory                   = 512

  container_definitions = jsonencode([{
    name      = var.family
    image     = var.image
    essential = true
  }])
}

output "arn" {
  value = aws_ecs_task_definition.this.arn
}
