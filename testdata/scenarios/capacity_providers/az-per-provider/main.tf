resource "aws_ecs_task_definition" "api" {
  family       = "ledger-api"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "api"
    image        = "public.ecr.aws/docker/library/nginx:stable"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 8080 }]
  }])
}

variable "provider_name" {
  description = "The capacity provider the service runs on."
  type        = string
  default     = "ledger-west-a"
}

# The tasks' subnet is in eu-west-1b, but the strategy sends them to west-a, whose
# instances are all in eu-west-1a: no task can be placed, although the cluster has
# instances in eu-west-1b (west-b's).
resource "aws_ecs_service" "api" {
  name                               = "ledger-api"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.api.arn
  desired_count                      = 2
  deployment_minimum_healthy_percent = 50

  capacity_provider_strategy {
    capacity_provider = var.provider_name
    weight            = 1
  }

  network_configuration {
    subnets = [aws_subnet.b.id]
  }

  depends_on = [aws_ecs_cluster_capacity_providers.main]
}
