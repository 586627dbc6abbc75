locals {
  azs = ["eu-north-1a", "eu-north-1b", "eu-north-1c"]
}

resource "aws_vpc" "this" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_subnet" "public" {
  count                   = 3
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone       = local.azs[count.index]
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index + 16)
  availability_zone = local.azs[count.index]
}

resource "aws_security_group" "alb" {
  name   = "${var.name}-alb"
  vpc_id = aws_vpc.this.id
}

resource "aws_security_group" "task" {
  name   = "${var.name}-task"
  vpc_id = aws_vpc.this.id
}
