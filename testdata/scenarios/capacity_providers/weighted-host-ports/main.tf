# A host-mode TLS terminator: every task holds port 443 on its instance.
resource "aws_ecs_task_definition" "ingress" {
  family       = "gateway-ingress"
  network_mode = "host"
  container_definitions = jsonencode([{
    name         = "envoy"
    image        = "public.ecr.aws/docker/library/envoy:v1.31-latest"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 443, protocol = "tcp" }]
  }])
}

variable "strategy" {
  description = "Base and weight per provider."
  type        = map(object({ base = number, weight = number }))
  default = {
    edge    = { base = 2, weight = 1 }
    general = { base = 0, weight = 3 }
  }
}

# 6 tasks: the 2 base tasks go to edge, then 1 in 4 of the other 4 (1 more): 3 on edge's
# 2 instances. The cluster's 6 instances would hold all 6, but edge's tasks wait for edge.
resource "aws_ecs_service" "ingress" {
  name                               = "gateway-ingress"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.ingress.arn
  desired_count                      = 6
  deployment_minimum_healthy_percent = 50

  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.pool["edge"].name
    base              = var.strategy.edge.base
    weight            = var.strategy.edge.weight
  }

  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.pool["general"].name
    base              = var.strategy.general.base
    weight            = var.strategy.general.weight
  }

  depends_on = [aws_ecs_cluster_capacity_providers.main]
}
