variable "desired_count" {
  type = number
}

variable "container_port" {
  type    = number
  default = 8000
}

variable "image_tag" {
  type    = string
  default = "v41"
}

resource "aws_ecr_repository" "inventory" {
  name = "inventory"
}

resource "aws_secretsmanager_secret" "inventory_db" {
  name = "inventory/db-password"
}

resource "aws_cloudwatch_log_group" "inventory" {
  name_prefix       = "/ecs/inventory-"
  retention_in_days = 14
}

locals {
  environment = {
    PORT      = tostring(var.container_port)
    LOG_LEVEL = "info"
  }

  inventory_container = {
    name      = "inventory"
    image     = "${aws_ecr_repository.inventory.repository_url}:${var.image_tag}"
    essential = true
    # hostPort 0 was the "dynamic port" idiom of the bridge-mode task this replaced.
    portMappings = [{ containerPort = var.container_port, hostPort = 0, protocol = "tcp" }]
    environment  = [for k, v in local.environment : { name = k, value = v }]
    secrets      = [{ name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.inventory_db.arn }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.inventory.name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "inventory"
      }
    }
  }
}

resource "aws_ecs_task_definition" "inventory" {
  family                   = "inventory"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "512"
  memory                   = "1024"

  container_definitions = jsonencode([local.inventory_container])
}

resource "aws_ecs_cluster" "main" {
  name = "inventory"
}

resource "aws_vpc" "main" {
  cidr_block = "10.12.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.12.0.0/16", 8, count.index)
  availability_zone = element(["eu-west-1a", "eu-west-1b"], count.index)
}

resource "aws_ecs_service" "inventory" {
  name            = "inventory"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.inventory.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}
