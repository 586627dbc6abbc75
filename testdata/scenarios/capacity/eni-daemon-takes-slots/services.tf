resource "aws_security_group" "svc" {
  name   = "staging-services"
  vpc_id = aws_vpc.main.id
}

# A node-level metrics agent, run as an awsvpc daemon so it gets its own security group.
resource "aws_ecs_task_definition" "metrics_agent" {
  family       = "metrics-agent"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "agent"
    image        = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest"
    essential    = true
    memory       = 128
    portMappings = [{ containerPort = 9100 }]
  }])
}

resource "aws_ecs_service" "metrics_agent" {
  name                = "metrics-agent"
  cluster             = aws_ecs_cluster.staging.arn
  task_definition     = aws_ecs_task_definition.metrics_agent.arn
  scheduling_strategy = "DAEMON"
  launch_type         = "EC2"

  network_configuration {
    subnets         = [for s in aws_subnet.app : s.id]
    security_groups = [aws_security_group.svc.id]
  }
}

resource "aws_ecs_task_definition" "checkout" {
  family       = "checkout"
  network_mode = "awsvpc"
  cpu          = 512
  memory       = 1024
  container_definitions = jsonencode([{
    name         = "checkout"
    image        = "public.ecr.aws/docker/library/httpd:2.4"
    essential    = true
    portMappings = [{ containerPort = 80, protocol = "tcp" }]
  }])
}

# No launch_type: the cluster's default strategy (staging-node) places it.
resource "aws_ecs_service" "checkout" {
  name            = "checkout"
  cluster         = aws_ecs_cluster.staging.arn
  task_definition = aws_ecs_task_definition.checkout.arn
  desired_count   = 4

  network_configuration {
    subnets         = [for s in aws_subnet.app : s.id]
    security_groups = [aws_security_group.svc.id]
  }

  depends_on = [aws_ecs_cluster_capacity_providers.staging]
}
