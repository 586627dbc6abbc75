# Twice the render tasks.
resource "aws_ecs_service" "render" {
  name            = "render"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.render.arn
  desired_count   = 4

  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.managed.name
    weight            = 1
  }

  network_configuration {
    subnets         = [for s in aws_subnet.this : s.id]
    security_groups = [aws_security_group.this.id]
  }
}

resource "aws_ecs_service" "metrics" {
  name            = "metrics"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.metrics.arn
  desired_count   = 2

  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.managed.name
    weight            = 1
  }
}
