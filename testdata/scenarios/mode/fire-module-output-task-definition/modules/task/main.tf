terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "family" {
  type = string
}

variable "image" {
  type = string
}

# Written for the EC2 cluster: awsvpc, EC2 only.
resource "aws_ecs_task_definition" "this" {
  family                   = var.family
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  cpu                      = "512"
  memory                   = "1024"

  container_definitions = jsonencode([
    { name = var.family, image = var.image, essential = true }
  ])
}

output "arn" {
  value = aws_ecs_task_definition.this.arn
}
