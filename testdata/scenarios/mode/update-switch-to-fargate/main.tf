variable "launch_type" {
  type = string
}

variable "desired_count" {
  type = number
}

resource "aws_vpc" "main" {
  cidr_block = "10.80.0.0/16"
}

resource "aws_subnet" "app" {
  for_each          = { a = "10.80.1.0/24", b = "10.80.2.0/24" }
  vpc_id            = aws_vpc.main.id
  cidr_block        = each.value
  availability_zone = "eu-north-1${each.key}"
}

resource "aws_ecs_cluster" "search" {
  name = "search"
}

resource "aws_ecs_task_definition" "indexer" {
  family                   = "search-indexer"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  cpu                      = "1024"
  memory                   = "2048"

  container_definitions = jsonencode([
    {
      name         = "indexer"
      image        = "123456789012.dkr.ecr.eu-north-1.amazonaws.com/search-indexer:12.0.1"
      essential    = true
      portMappings = [{ containerPort = 9200, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "indexer" {
  name            = "search-indexer"
  cluster         = aws_ecs_cluster.search.id
  task_definition = aws_ecs_task_definition.indexer.arn
  desired_count   = var.desired_count
  launch_type     = var.launch_type

  network_configuration {
    subnets = [for s in aws_subnet.app : s.id]
  }
}
