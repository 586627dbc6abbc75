variable "name" {
  type = string
}

variable "cluster_id" {
  type = string
}

variable "image" {
  type = string
}

variable "replicas" {
  type    = number
  default = 2
}

variable "port_mappings" {
  type = list(object({
    containerPort = number
    hostPort      = optional(number, 0)
    protocol      = optional(string, "tcp")
  }))
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "bridge"

  container_definitions = jsonencode([{
    name              = var.name
    image             = var.image
    memoryReservation = 256
    essential         = true
    portMappings      = var.port_mappings
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.replicas
  launch_type     = "EC2"
}
