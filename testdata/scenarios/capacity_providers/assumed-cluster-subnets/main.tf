resource "aws_vpc" "main" {
  cidr_block = "10.86.0.0/16"
}

# One /28: 11 usable addresses for the instances and the tasks.
resource "aws_subnet" "small" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.86.0.0/28"
  availability_zone = "eu-west-1a"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "main" {
  name = "edge-cache"
}

# The platform team sizes the group from a value recorded at apply time: max_size is
# known only after apply, and .ecsnet.hcl says what it will be (6 instances at most).
resource "terraform_data" "capacity" {
  input = { max_size = 6 }
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "edge-cache-"
  image_id      = "ami-0c1a2b3c4d5e6f701"
  instance_type = "c5.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "ecs" {
  name                = "edge-cache"
  min_size            = 0
  max_size            = terraform_data.capacity.output.max_size
  vpc_zone_identifier = [aws_subnet.small.id]

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "cache" {
  family       = "edge-cache"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "varnish"
    image        = "public.ecr.aws/docker/library/varnish:stable"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 6081 }]
  }])
}

variable "caches" {
  type    = number
  default = 4
}

# 4 tasks peak at 6 (150%): with the 6 instances the block assumes, 12 addresses in a
# /28 that has 11.
resource "aws_ecs_service" "cache" {
  name                               = "edge-cache"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.cache.arn
  desired_count                      = var.caches
  launch_type                        = "EC2"
  deployment_maximum_percent         = 150
  deployment_minimum_healthy_percent = 50

  network_configuration {
    subnets = [aws_subnet.small.id]
  }
}
