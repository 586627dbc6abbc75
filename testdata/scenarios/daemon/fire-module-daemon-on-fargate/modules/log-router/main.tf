variable "cluster_arn" {
  type = string
}

variable "scheduling_strategy" {
  type    = string
  default = "REPLICA"
}

variable "launch_type" {
  type    = string
  default = "FARGATE"
}

variable "subnet_ids" {
  type = list(string)
}

variable "destination" {
  type = string
}

resource "aws_ecs_task_definition" "this" {
  family                   = "log-router"
  requires_compatibilities = [var.launch_type]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name      = "fluent-bit"
    image     = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2"
    essential = true
    firelensConfiguration = {
      type = "fluentbit"
    }
    environment = [{ name = "DESTINATION", value = var.destination }]
    portMappings = [
      { containerPort = 24224, protocol = "tcp" }
    ]
  }])
}

resource "aws_ecs_service" "this" {
  name                = "log-router"
  cluster             = var.cluster_arn
  task_definition     = aws_ecs_task_definition.this.arn
  launch_type         = var.launch_type
  scheduling_strategy = var.scheduling_strategy
  desired_count       = var.scheduling_strategy == "DAEMON" ? null : 2

  network_configuration {
    subnets = var.subnet_ids
  }
}
