variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "security_groups" {
  type = list(string)
}

variable "image" {
  type = string
}

variable "desired_count" {
  type    = number
  default = 1
}

variable "iam_role" {
  description = "Service role for classic load balancers; leave null for awsvpc."
  type        = string
  default     = null
}

variable "platform_version" {
  type    = string
  default = null
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name         = var.name
    image        = var.image
    essential    = true
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "this" {
  name             = var.name
  cluster          = var.cluster_arn
  task_definition  = aws_ecs_task_definition.this.arn
  desired_count    = var.desired_count
  launch_type      = "FARGATE"
  iam_role         = var.iam_role
  platform_version = var.platform_version

  network_configuration {
    subnets         = var.subnet_ids
    security_groups = var.security_groups
  }
}
