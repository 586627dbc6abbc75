resource "aws_ecs_task_definition" "proxy" {
  family       = "catalog-proxy"
  network_mode = "host"
  container_definitions = jsonencode([{
    name         = "haproxy"
    image        = "public.ecr.aws/docker/library/haproxy:lts"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 8443, protocol = "tcp" }]
  }])
}

variable "minimum_healthy_percent" {
  type    = number
  default = 100
}

# 3 host-mode tasks on the 3 instances: port 8443 is taken on each, and minimum healthy
# 100% keeps all 3 while the 4th must start.
resource "aws_ecs_service" "proxy" {
  name                               = "catalog-proxy"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.proxy.arn
  desired_count                      = 3
  launch_type                        = "EC2"
  deployment_minimum_healthy_percent = var.minimum_healthy_percent
}
