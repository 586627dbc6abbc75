resource "aws_ecs_service" "edge" {
  name            = "media-edge"
  cluster         = aws_ecs_cluster.media.id
  task_definition = aws_ecs_task_definition.edge.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  dynamic "load_balancer" {
    for_each = local.ports
    content {
      target_group_arn = aws_lb_target_group.edge[load_balancer.key].arn
      container_name   = "edge"
      container_port   = load_balancer.value
    }
  }

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    assign_public_ip = true
  }

  depends_on = [aws_lb_listener.edge]
}
