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

locals {
  name = "payments"
  azs  = ["eu-west-1a", "eu-west-1b"]

  # ex_1: 2 × c5.large (2 awsvpc slots each without trunking) = 4 slots;
  # ex_2: 4 × m5.2xlarge (3 each) = 12 slots; ex_3: 3 × m5.large (2 each) = 6 slots.
  pools = {
    ex_1 = { instance_type = "c5.large", max_size = 2 }
    ex_2 = { instance_type = "m5.2xlarge", max_size = 4 }
    ex_3 = { instance_type = "m5.large", max_size = 3 }
  }
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_vpc" "this" {
  cidr_block = "10.41.0.0/16"
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone = local.azs[count.index]
}

resource "aws_security_group" "tasks" {
  name_prefix = "${local.name}-tasks-"
  vpc_id      = aws_vpc.this.id
}

module "autoscaling" {
  source   = "./modules/asg"
  for_each = local.pools

  name          = "${local.name}-${each.key}"
  cluster_name  = local.name
  instance_type = each.value.instance_type
  max_size      = each.value.max_size
  subnet_ids    = aws_subnet.private[*].id
}

module "ecs_cluster" {
  source = "./modules/cluster"

  cluster_name = local.name

  autoscaling_capacity_providers = {
    ex_1 = { auto_scaling_group_arn = module.autoscaling["ex_1"].autoscaling_group_arn }
    ex_2 = { auto_scaling_group_arn = module.autoscaling["ex_2"].autoscaling_group_arn }
    ex_3 = { auto_scaling_group_arn = module.autoscaling["ex_3"].autoscaling_group_arn }
  }
}

resource "aws_ecs_task_definition" "app" {
  family                   = "${local.name}-app"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name         = "app"
      image        = "public.ecr.aws/nginx/nginx:1.27"
      essential    = true
      portMappings = [{ containerPort = 8080, protocol = "tcp" }]
    }
  ])
}

# 3 tasks on ex_1: they fit even the smallest candidate group (4 slots).
resource "aws_ecs_service" "api" {
  name            = "${local.name}-api"
  cluster         = module.ecs_cluster.cluster_arn
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 3

  capacity_provider_strategy {
    capacity_provider = module.ecs_cluster.capacity_providers["ex_1"]
    weight            = 1
  }

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.tasks.id]
  }
}

# 14 tasks on ex_2: more than even the largest candidate's 12 slots, so NET070 fires
# whichever group the provider uses.
resource "aws_ecs_service" "worker" {
  name            = "${local.name}-worker"
  cluster         = module.ecs_cluster.cluster_arn
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 14

  capacity_provider_strategy {
    capacity_provider = module.ecs_cluster.capacity_providers["ex_2"]
    weight            = 1
  }

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.tasks.id]
  }
}

# 5 tasks on ex_3: they fit its 6 slots, and the 12 of ex_2, but not the 4 of ex_1, so from
# the plan alone (which group ex_3 uses is hidden) NET070 cannot decide.
resource "aws_ecs_service" "batch" {
  name            = "${local.name}-batch"
  cluster         = module.ecs_cluster.cluster_arn
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 5

  capacity_provider_strategy {
    capacity_provider = module.ecs_cluster.capacity_providers["ex_3"]
    weight            = 1
  }

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.tasks.id]
  }
}
