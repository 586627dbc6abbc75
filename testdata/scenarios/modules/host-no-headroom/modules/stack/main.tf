variable "name" { type = string }
variable "vpc_cidr" { type = string }
variable "azs" { type = list(string) }
variable "instances" { type = number }
variable "services" { type = any }

variable "deployment" {
  type = object({
    maximum_percent         = number
    minimum_healthy_percent = number
  })
}

resource "aws_vpc" "this" {
  cidr_block = var.vpc_cidr
}

resource "aws_subnet" "this" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  availability_zone = var.azs[count.index]
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index)
}

resource "aws_ecs_cluster" "this" {
  name = var.name
}

module "asg" {
  source       = "../asg"
  cluster_name = aws_ecs_cluster.this.name
  subnets      = aws_subnet.this[*].id
  size         = var.instances
}

module "service" {
  source   = "../service"
  for_each = var.services

  name          = each.key
  cluster       = aws_ecs_cluster.this.arn
  image         = each.value.image
  ports         = each.value.ports
  desired_count = each.value.desired_count
  deployment    = var.deployment
}
