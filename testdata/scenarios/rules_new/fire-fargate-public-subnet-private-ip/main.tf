terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-2"
}

variable "azs" {
  type    = list(string)
  default = ["us-east-2a", "us-east-2b"]
}

# One public tier: a route table sending 0.0.0.0/0 to the internet gateway, associated with
# both subnets.
resource "aws_vpc" "web" {
  cidr_block = "10.81.0.0/16"
}

resource "aws_internet_gateway" "web" {
  vpc_id = aws_vpc.web.id
}

resource "aws_subnet" "public" {
  count                   = length(var.azs)
  vpc_id                  = aws_vpc.web.id
  availability_zone       = var.azs[count.index]
  cidr_block              = cidrsubnet(aws_vpc.web.cidr_block, 8, count.index)
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.web.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.web.id
  }
}

resource "aws_route_table_association" "public" {
  count          = length(var.azs)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_ecs_cluster" "web" {
  name = "web"
}

resource "aws_security_group" "tasks" {
  name   = "web-tasks"
  vpc_id = aws_vpc.web.id

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "nginx" {
  family                   = "nginx"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name         = "nginx"
    image        = "nginx:1.27-alpine"
    essential    = true
    portMappings = [{ containerPort = 80 }]
  }])
}

# The public IP was switched off "for security": in a subnet whose only way out is an
# internet gateway the tasks can no longer pull nginx from Docker Hub.
resource "aws_ecs_service" "frontend" {
  name            = "frontend"
  cluster         = aws_ecs_cluster.web.id
  task_definition = aws_ecs_task_definition.nginx.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = aws_subnet.public[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }
}

# The same task definition with a public IP reaches Docker Hub through the gateway.
resource "aws_ecs_service" "preview" {
  name            = "preview"
  cluster         = aws_ecs_cluster.web.id
  task_definition = aws_ecs_task_definition.nginx.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = aws_subnet.public[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = true
  }
}
