locals {
  cluster_name = "reporting"
  subnet_ids   = aws_subnet.private[*].id
}

resource "aws_vpc" "main" {
  cidr_block = "10.51.0.0/16"
}

resource "aws_subnet" "private" {
  count                                       = 2
  vpc_id                                      = aws_vpc.main.id
  cidr_block                                  = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone                           = ["eu-west-1a", "eu-west-1b"][count.index]
  private_dns_hostname_type_on_launch         = "resource-name"
  enable_resource_name_dns_a_record_on_launch = true
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}

resource "aws_ecs_cluster" "main" {
  name = local.cluster_name
}

resource "aws_ecs_task_definition" "renderer" {
  family       = "renderer"
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "512"
  container_definitions = jsonencode([{
    name         = "renderer"
    image        = "public.ecr.aws/docker/library/node:20"
    essential    = true
    portMappings = [{ containerPort = 7000 }]
  }])
}

resource "aws_ecs_service" "renderer" {
  name            = "renderer"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.renderer.arn
  desired_count   = 6
  launch_type     = "EC2"

  network_configuration {
    subnets = local.subnet_ids
  }
}
