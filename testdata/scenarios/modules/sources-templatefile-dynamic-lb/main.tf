# A root module calling a service module once per service (for_each), the way community
# modules are written: the task definition is reached through a local, the load balancer
# and network configuration are dynamic blocks, and the container definitions are rendered
# by templatefile() with an image from a new ECR repository and a secret from a new
# Secrets Manager secret, so the whole string is unknown in the create plan.
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

variable "db_password" {
  type      = string
  sensitive = true
}

variable "services" {
  type = map(object({
    container_port = number
    lb_port        = number
  }))
  default = {
    # The target group sends to 8080, and the container listens on 8080.
    cart = { container_port = 8080, lb_port = 8080 }
    # The target group sends to 9090, but the container listens on 9000: NET053.
    search = { container_port = 9000, lb_port = 9090 }
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.42.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
}

resource "aws_ecs_cluster" "this" {
  name = "shop"
}

resource "aws_lb_target_group" "svc" {
  for_each    = var.services
  name        = "shop-${each.key}"
  port        = each.value.lb_port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.this.id
}

resource "aws_secretsmanager_secret" "db" {
  name = "shop/db"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = var.db_password
}

module "service" {
  source   = "./modules/service"
  for_each = var.services

  name             = each.key
  cluster_arn      = aws_ecs_cluster.this.arn
  container_port   = each.value.container_port
  subnet_ids       = aws_subnet.private[*].id
  vpc_id           = aws_vpc.this.id
  secret_arn       = aws_secretsmanager_secret.db.arn
  db_password_hint = var.db_password
  load_balancers = {
    main = {
      target_group_arn = aws_lb_target_group.svc[each.key].arn
      container_port   = each.value.lb_port
    }
  }
}
