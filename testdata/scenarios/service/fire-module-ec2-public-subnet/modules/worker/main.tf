variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "capacity_provider" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "image" {
  type = string
}

variable "queue_url" {
  type = string
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "awsvpc"
  memory       = 512

  container_definitions = jsonencode([{
    name        = "worker"
    image       = var.image
    essential   = true
    environment = [{ name = "QUEUE_URL", value = var.queue_url }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = 2

  capacity_provider_strategy {
    capacity_provider = var.capacity_provider
    weight            = 1
  }

  network_configuration {
    subnets = var.subnet_ids
  }
}
