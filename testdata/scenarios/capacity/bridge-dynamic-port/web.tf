variable "host_port" {
  description = "0 lets Docker pick an ephemeral host port per task."
  type        = number
  default     = 0
}

resource "aws_ecs_task_definition" "web" {
  family       = "${local.name}-web"
  network_mode = "bridge"
  container_definitions = jsonencode([{
    name              = "web"
    image             = "public.ecr.aws/docker/library/php:8.3-apache"
    essential         = true
    memoryReservation = 384
    portMappings      = [{ containerPort = 80, hostPort = var.host_port, protocol = "tcp" }]
  }])
}

resource "aws_ecs_service" "web" {
  name            = "${local.name}-web"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 4
  launch_type     = "EC2"

  load_balancer {
    target_group_arn = aws_lb_target_group.web.arn
    container_name   = "web"
    container_port   = 80
  }

  depends_on = [aws_lb_listener.http]
}
