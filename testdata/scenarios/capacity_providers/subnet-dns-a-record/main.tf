resource "aws_vpc" "main" {
  cidr_block = "10.85.0.0/16"
}

variable "resource_name_a_records" {
  description = "Subnets give instances resource-name DNS A records at launch."
  type        = bool
  default     = true
}

# The launch template leaves private_dns_name_options to the subnets.
resource "aws_subnet" "private" {
  count                                       = 2
  vpc_id                                      = aws_vpc.main.id
  cidr_block                                  = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone                           = ["eu-west-1a", "eu-west-1b"][count.index]
  private_dns_hostname_type_on_launch         = "resource-name"
  enable_resource_name_dns_a_record_on_launch = var.resource_name_a_records
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}

resource "aws_ecs_cluster" "main" {
  name = "pricing"
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "pricing-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "ecs" {
  name                = "pricing"
  min_size            = 0
  max_size            = 3
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "quotes" {
  family       = "pricing-quotes"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "quotes"
    image        = "public.ecr.aws/docker/library/node:20-alpine"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 3000 }]
  }])
}

# 8 tasks: 3 × c5.large take 30 with a trunk, 6 without one.
resource "aws_ecs_service" "quotes" {
  name                               = "pricing-quotes"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.quotes.arn
  desired_count                      = 8
  launch_type                        = "EC2"
  deployment_minimum_healthy_percent = 50

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}
