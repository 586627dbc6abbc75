resource "aws_ecs_task_definition" "billing_ui" {
  family       = "billing-ui"
  network_mode = "bridge"
  memory       = "512"

  container_definitions = jsonencode([
    {
      name         = "ui"
      image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/billing-ui:3.5.2"
      essential    = true
      portMappings = [{ containerPort = 80, hostPort = 8080, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "billing_ui" {
  name            = "billing-ui"
  cluster         = aws_ecs_cluster.billing.id
  task_definition = aws_ecs_task_definition.billing_ui.arn
  desired_count   = 2
  launch_type     = "EC2"
}
