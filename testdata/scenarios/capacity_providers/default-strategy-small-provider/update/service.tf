# Opt out of the default strategy: with launch type EC2 the tasks may use any instance
# registered to the cluster (4 + 9 = 13 slots).
resource "aws_ecs_service" "api" {
  name                               = "orders-api"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.api.arn
  desired_count                      = 6
  launch_type                        = "EC2"
  deployment_minimum_healthy_percent = 50

  network_configuration {
    subnets = aws_subnet.private[*].id
  }

  depends_on = [aws_ecs_cluster_capacity_providers.main]
}
