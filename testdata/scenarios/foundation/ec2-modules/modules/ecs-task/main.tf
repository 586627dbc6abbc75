variable "family" {
  type = string
}

variable "network_mode" {
  description = "null leaves network_mode unset: ECS then uses the default mode."
  type        = string
  default     = null
}

variable "cpu" {
  type = number
}

variable "memory" {
  type = number
}

variable "containers" {
  type = any
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.family
  network_mode             = var.network_mode
  requires_compatibilities = ["EC2"]
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
  container_definitions    = jsonencode(var.containers)

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

output "arn" {
  value = aws_ecs_task_definition.this.arn
}
