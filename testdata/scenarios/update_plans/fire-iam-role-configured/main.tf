terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "desired_count" {
  type    = number
  default = 2
}

# Copied from the old bridge-mode stack, where the classic load balancer needed it.
variable "service_role" {
  type    = string
  default = "ecsServiceRole"
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

resource "aws_security_group" "app" {
  name_prefix = "ledger-"
  vpc_id      = aws_vpc.this.id
}

resource "aws_ecs_cluster" "ledger" {
  name = "ledger"
}

# The role reaches the module's iam_role through two variables.
module "postings" {
  source = "./modules/fargate-service"

  name            = "postings"
  cluster_arn     = aws_ecs_cluster.ledger.arn
  subnet_ids      = aws_subnet.private[*].id
  security_groups = [aws_security_group.app.id]
  image           = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/postings:2.0.4"
  desired_count   = var.desired_count
  iam_role        = var.service_role
}

# Someone copied the role the console shows for an existing awsvpc service: it is the
# service-linked role, but CreateService rejects any role for awsvpc tasks.
resource "aws_ecs_task_definition" "statements" {
  family                   = "statements"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = jsonencode([{
    name         = "statements"
    image        = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/statements:0.9.0"
    essential    = true
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "statements" {
  name            = "statements"
  cluster         = aws_ecs_cluster.ledger.arn
  task_definition = aws_ecs_task_definition.statements.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"
  iam_role        = "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.app.id]
  }
}

# The same module without a role.
module "balances" {
  source = "./modules/fargate-service"

  name            = "balances"
  cluster_arn     = aws_ecs_cluster.ledger.arn
  subnet_ids      = aws_subnet.private[*].id
  security_groups = [aws_security_group.app.id]
  image           = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/balances:5.1.0"
}
