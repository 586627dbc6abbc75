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

variable "orders_count" {
  type    = number
  default = 2
}

resource "aws_vpc" "this" {
  cidr_block = "10.41.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
}

resource "aws_security_group" "app" {
  name_prefix = "shop-"
  vpc_id      = aws_vpc.this.id
}

resource "aws_ecs_cluster" "shop" {
  name = "shop"
}

# The module's iam_role and platform_version default to null: neither service sets them,
# and after apply the provider reads back the service-linked role and "LATEST".
module "orders" {
  source = "./modules/fargate-service"

  name            = "orders"
  cluster_arn     = aws_ecs_cluster.shop.arn
  subnet_ids      = aws_subnet.private[*].id
  security_groups = [aws_security_group.app.id]
  image           = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:3.2.0"
  desired_count   = var.orders_count
}

# The same module with platform_version pinned.
module "invoices" {
  source = "./modules/fargate-service"

  name             = "invoices"
  cluster_arn      = aws_ecs_cluster.shop.arn
  subnet_ids       = aws_subnet.private[*].id
  security_groups  = [aws_security_group.app.id]
  image            = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/invoices:1.8.1"
  desired_count    = 1
  platform_version = "1.4.0"
}
