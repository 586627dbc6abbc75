variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "namespace_arn" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "image" {
  type = string
}

variable "port" {
  type = number
}

variable "publish" {
  description = "Publish the service in the Service Connect namespace (server); false makes it a client only."
  type        = bool
  default     = true
}

variable "port_name" {
  description = "Name of the port mapping Service Connect publishes."
  type        = string
  default     = "http"
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name      = var.name
    image     = var.image
    essential = true
    portMappings = [{
      name          = "web"
      containerPort = var.port
      protocol      = "tcp"
      appProtocol   = "http"
    }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = var.subnet_ids
  }

  service_connect_configuration {
    enabled   = true
    namespace = var.namespace_arn

    dynamic "service" {
      for_each = var.publish ? [1] : []
      content {
        port_name      = var.port_name
        discovery_name = var.name

        client_alias {
          port     = var.port
          dns_name = "${var.name}.shop"
        }
      }
    }
  }
}
