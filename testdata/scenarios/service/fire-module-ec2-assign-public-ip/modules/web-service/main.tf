# Written for Fargate tasks in public subnets; launch_type was made a variable later.
variable "name" {
  type = string
}

variable "cluster" {
  type = string
}

variable "launch_type" {
  type    = string
  default = "FARGATE"
}

variable "subnets" {
  type = list(string)
}

variable "security_groups" {
  type = list(string)
}

variable "public_ip" {
  type    = bool
  default = true
}

variable "image" {
  type = string
}

variable "port" {
  type    = number
  default = 80
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  network_mode             = "awsvpc"
  requires_compatibilities = [var.launch_type]
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name         = "web"
    image        = var.image
    essential    = true
    portMappings = [{ containerPort = var.port }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster
  task_definition = aws_ecs_task_definition.this.arn
  launch_type     = var.launch_type
  desired_count   = 1

  network_configuration {
    subnets          = var.subnets
    security_groups  = var.security_groups
    assign_public_ip = var.public_ip
  }
}
