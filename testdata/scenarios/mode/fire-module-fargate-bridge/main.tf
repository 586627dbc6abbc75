data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_ecs_cluster" "ledger" {
  name = "ledger"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_security_group" "tasks" {
  name_prefix = "ledger-tasks-"
  vpc_id      = data.aws_vpc.default.id
}

locals {
  services = {
    api = {
      image        = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/ledger-api:7.3.1"
      port         = 8080
      network_mode = "awsvpc"
    }
    # Moved over from the old EC2 cluster; its settings came along.
    scheduler = {
      image        = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/ledger-scheduler:7.3.1"
      port         = 8090
      network_mode = "bridge"
    }
  }
}

module "service" {
  source   = "./modules/fargate-service"
  for_each = local.services

  name               = "ledger-${each.key}"
  cluster_id         = aws_ecs_cluster.ledger.id
  image              = each.value.image
  port               = each.value.port
  network_mode       = each.value.network_mode
  subnet_ids         = data.aws_subnets.default.ids
  security_group_ids = [aws_security_group.tasks.id]
}
