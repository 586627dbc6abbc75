resource "aws_ecs_task_definition" "web" {
  family       = "${local.name}-web"
  network_mode = "bridge"

  container_definitions = jsonencode([{
    name              = "mediawiki"
    image             = "mediawiki:1.41"
    memoryReservation = 512
    essential         = true
    portMappings      = [{ containerPort = 80, hostPort = 0, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "web" {
  name            = "${local.name}-web"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 2
  launch_type     = "EC2"

  load_balancer {
    target_group_arn = aws_lb_target_group.web.arn
    container_name   = "mediawiki"
    container_port   = 80
  }

  ordered_placement_strategy {
    type  = "spread"
    field = "attribute:ecs.availability-zone"
  }

  depends_on = [aws_lb_listener.http]
}
