terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# The service module keeps an x86 and an arm64 task definition and picks one through a
# local; it was written for EC2 bridge tasks and is called here with launch_type FARGATE.
# Neither variant is Fargate-compatible (bridge, no requires_compatibilities), neither
# accepts the network_configuration block, and neither serves port 80 the load balancer
# sends to: whichever one the service runs, CreateService fails.
resource "aws_vpc" "main" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, 10)
  availability_zone = "eu-west-1a"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "api" {
  name   = "api"
  vpc_id = aws_vpc.main.id
}

resource "aws_lb_target_group" "api" {
  name        = "api"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id
}

resource "aws_ecs_cluster" "main" {
  name = "api"
}

module "api" {
  source             = "./modules/svc"
  name               = "api"
  cluster_arn        = aws_ecs_cluster.main.arn
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.api.id]
  target_group_arn   = aws_lb_target_group.api.arn
  port               = 8080
  lb_port            = 80
  launch_type        = "FARGATE"
}
