variable "name" { type = string }
variable "cluster" { type = string }
variable "image" { type = string }
variable "ports" { type = list(number) }
variable "desired_count" { type = number }

variable "deployment" {
  type = object({
    maximum_percent         = number
    minimum_healthy_percent = number
  })
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "host"
  container_definitions = jsonencode([{
    name              = var.name
    image             = var.image
    essential         = true
    memoryReservation = 512
    portMappings      = [for p in var.ports : { containerPort = p, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = var.cluster
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.desired_count
  launch_type                        = "EC2"
  deployment_maximum_percent         = var.deployment.maximum_percent
  deployment_minimum_healthy_percent = var.deployment.minimum_healthy_percent

  placement_constraints {
    type = "distinctInstance"
  }
}
