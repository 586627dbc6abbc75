variable "network_mode" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.90.0.0/16"
}

resource "aws_subnet" "app" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_security_group" "crm" {
  name   = "crm"
  vpc_id = aws_vpc.main.id
}

resource "aws_ecs_cluster" "crm" {
  name = "crm"
}

resource "aws_ecs_task_definition" "crm" {
  family       = "crm"
  network_mode = var.network_mode
  memory       = "2048"

  container_definitions = jsonencode([
    {
      name         = "web"
      image        = "123456789012.dkr.ecr.us-east-1.amazonaws.com/crm-web:12.1.0"
      essential    = true
      hostname     = "crm-web"
      links        = ["worker"]
      extraHosts   = [{ hostname = "mail.internal", ipAddress = "10.90.200.25" }]
      portMappings = [{ containerPort = 8080 }]
    },
    {
      name      = "worker"
      image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/crm-worker:12.1.0"
      essential = true
    }
  ])
}

resource "aws_ecs_service" "crm" {
  name            = "crm"
  cluster         = aws_ecs_cluster.crm.id
  task_definition = aws_ecs_task_definition.crm.arn
  desired_count   = 2
  launch_type     = "EC2"

  dynamic "network_configuration" {
    for_each = var.network_mode == "awsvpc" ? [1] : []
    content {
      subnets         = aws_subnet.app[*].id
      security_groups = [aws_security_group.crm.id]
    }
  }
}
