resource "aws_ecr_repository" "checkout" {
  name                 = "checkout"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_cloudwatch_log_group" "checkout" {
  name              = "/ecs/checkout"
  retention_in_days = 30
}

resource "aws_secretsmanager_secret" "db" {
  name = "checkout/db"
}

resource "aws_iam_role" "execution" {
  name = "checkout-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_cluster" "this" {
  name = "checkout"
}

locals {
  container = {
    name      = "checkout"
    image     = "${aws_ecr_repository.checkout.repository_url}:1.14.0"
    essential = true
    portMappings = [
      { name = "http", containerPort = var.container_port, protocol = "tcp", appProtocol = "http" }
    ]
    secrets = [
      { name = "DATABASE_URL", valueFrom = aws_secretsmanager_secret.db.arn }
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.checkout.name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "checkout"
      }
    }
  }
}

resource "aws_ecs_task_definition" "checkout" {
  family                   = "checkout"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = aws_iam_role.execution.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }

  container_definitions = jsonencode([local.container])
}

resource "aws_ecs_service" "checkout" {
  name            = "checkout"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.checkout.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.service.id]
  }
}

# The nightly report still runs on the old EC2 cluster in bridge mode (not Fargate).
resource "aws_ecs_task_definition" "nightly_report" {
  family                   = "checkout-nightly-report"
  network_mode             = "bridge"
  requires_compatibilities = ["EC2"]
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name      = "report"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout-report:1.14.0"
      essential = true
    }
  ])
}
