resource "aws_vpc" "main" {
  cidr_block = "10.90.0.0/16"
}

# One /27: 27 usable addresses, shared by two Fargate services.
resource "aws_subnet" "shared" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.90.0.0/27"
  availability_zone = "eu-west-1a"
}

resource "aws_ecs_cluster" "main" {
  name = "payments"
}

variable "tasks" {
  type = map(number)
  default = {
    authorize = 8
    capture   = 8
  }
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = var.tasks
  family                   = "payments-${each.key}"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name         = each.key
    image        = "public.ecr.aws/docker/library/nginx:stable"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "svc" {
  for_each                           = var.tasks
  name                               = "payments-${each.key}"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.svc[each.key].arn
  desired_count                      = each.value
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 50

  network_configuration {
    subnets = [aws_subnet.shared.id]
  }
}
