module "vpc" {
  source = "./modules/vpc"

  name                 = var.name
  cidr                 = "10.40.0.0/16"
  azs                  = ["${var.region}a", "${var.region}b", "${var.region}c"]
  isolated_subnet_cidr = "10.40.200.0/26"
}

resource "aws_security_group" "alb" {
  name   = "${var.name}-alb"
  vpc_id = module.vpc.vpc_id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# The task security group is owned by the security team's stack.
data "aws_security_group" "tasks" {
  name = "${var.name}-tasks"
}
