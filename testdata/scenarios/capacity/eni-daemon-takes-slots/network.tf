locals {
  subnets = {
    "us-east-1a" = "10.8.0.0/22"
    "us-east-1b" = "10.8.4.0/22"
    "us-east-1c" = "10.8.8.0/22"
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.8.0.0/16"
}

resource "aws_subnet" "app" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.main.id
  availability_zone = each.key
  cidr_block        = each.value
}
