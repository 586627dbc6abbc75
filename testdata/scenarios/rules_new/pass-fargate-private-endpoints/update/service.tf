# Scale the billing service out; nothing about its network changes.
resource "aws_ecs_service" "this" {
  name            = local.name
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = 6
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = aws_subnet.intra[*].id
    security_groups = [aws_security_group.tasks.id]
  }
}
