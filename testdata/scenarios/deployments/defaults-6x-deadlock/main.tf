resource "aws_vpc" "main" {
  cidr_block = "10.87.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_ecs_cluster" "main" {
  name = "ledger"
}

resource "aws_ecs_task_definition" "posting" {
  family                   = "ledger-posting"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name      = "posting"
    image     = "public.ecr.aws/docker/library/busybox:stable"
    essential = true
    command   = ["sh", "-c", "while true; do sleep 60; done"]
  }])
}

variable "minimum_healthy_percent" {
  type    = number
  default = 100
}

# No deployment_configuration block: provider 6.x plans it as known after apply, but the
# configuration does not write it, so ECS's default applies (ROLLING). 100/100 with 3
# tasks: a rolling deployment can neither start nor stop a task.
resource "aws_ecs_service" "posting" {
  name                               = "ledger-posting"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.posting.arn
  desired_count                      = 3
  launch_type                        = "FARGATE"
  deployment_maximum_percent         = 100
  deployment_minimum_healthy_percent = var.minimum_healthy_percent

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}
