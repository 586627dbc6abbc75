resource "aws_vpc" "main" {
  cidr_block = "10.66.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = "eu-west-1${substr("abc", count.index, 1)}"
}

resource "aws_ecs_cluster" "market" {
  name = "market"
}

resource "aws_ecs_task_definition" "quotes" {
  family       = "quotes"
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "512"
  container_definitions = jsonencode([{
    name         = "quotes"
    image        = "public.ecr.aws/docker/library/node:20-alpine"
    essential    = true
    portMappings = [{ containerPort = 3000 }]
  }])
}

variable "weights" {
  description = "Share of tasks per pool."
  type        = map(number)
  default     = { ondemand = 1, spot = 3 }
}

# 12 tasks, placed 1:3: 3 on m5.xlarge (6 slots at max), 9 on c5.large (8 slots at max).
resource "aws_ecs_service" "quotes" {
  name                               = "quotes"
  cluster                            = aws_ecs_cluster.market.id
  task_definition                    = aws_ecs_task_definition.quotes.arn
  desired_count                      = 12
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = 50

  dynamic "capacity_provider_strategy" {
    for_each = var.weights
    content {
      capacity_provider = aws_ecs_capacity_provider.pool[capacity_provider_strategy.key].name
      weight            = capacity_provider_strategy.value
    }
  }

  network_configuration {
    subnets = aws_subnet.private[*].id
  }

  depends_on = [aws_ecs_cluster_capacity_providers.market]
}
