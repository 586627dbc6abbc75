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

variable "web_count" {
  type    = number
  default = 2
}

module "network" {
  source = "./modules/network"
}

resource "aws_security_group" "alb" {
  name   = "storefront-alb"
  vpc_id = module.network.vpc_id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "tasks" {
  name   = "storefront-tasks"
  vpc_id = module.network.vpc_id

  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }
}

resource "aws_lb" "this" {
  name               = "storefront"
  load_balancer_type = "application"
  subnets            = module.network.public_subnet_ids
  security_groups    = [aws_security_group.alb.id]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}

resource "aws_ecs_cluster" "this" {
  name = "storefront"
}

module "web" {
  source = "./modules/fargate-web"

  name               = "storefront-web"
  cluster_arn        = aws_ecs_cluster.this.arn
  vpc_id             = module.network.vpc_id
  subnet_ids         = module.network.private_subnet_ids
  security_group_ids = [aws_security_group.tasks.id]
  container_image    = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/storefront-web:5.12.0"
  desired_count      = var.web_count
  load_balanced      = true
  alb_listener_arn   = aws_lb_listener.https.arn
  host_header        = "shop.example.com"
}
