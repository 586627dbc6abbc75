terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "ca-central-1"
}

# A development cluster on burstable instances, with ENI trunking turned on.
resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}

module "labels" {
  source      = "./modules/labels"
  environment = "dev"
  service     = "notebooks"
}

resource "aws_vpc" "dev" {
  cidr_block = "10.99.0.0/20"
  tags       = module.labels.tags
}

resource "aws_subnet" "dev" {
  count             = 2
  vpc_id            = aws_vpc.dev.id
  cidr_block        = cidrsubnet(aws_vpc.dev.cidr_block, 4, count.index)
  availability_zone = "ca-central-1${["a", "b"][count.index]}"
  tags              = module.labels.tags
}

resource "aws_ecs_cluster" "dev" {
  name = module.labels.id
  tags = module.labels.tags
}

resource "aws_launch_template" "dev" {
  name_prefix   = "${module.labels.id}-"
  image_id      = "ami-0aa1bb2cc3dd4ee5f"
  instance_type = "t3.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${module.labels.id} >> /etc/ecs/ecs.config\n")
  tags          = module.labels.tags
}

resource "aws_autoscaling_group" "dev" {
  name                = module.labels.id
  min_size            = 0
  max_size            = 3
  vpc_zone_identifier = aws_subnet.dev[*].id

  launch_template {
    id      = aws_launch_template.dev.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "notebook" {
  family       = module.labels.id
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "1024"
  container_definitions = jsonencode([{
    name         = "jupyter"
    image        = "quay.io/jupyter/base-notebook:latest"
    essential    = true
    portMappings = [{ containerPort = 8888 }]
  }])
  tags = module.labels.tags
}

resource "aws_ecs_service" "notebook" {
  name            = module.labels.id
  cluster         = aws_ecs_cluster.dev.id
  task_definition = aws_ecs_task_definition.notebook.arn
  desired_count   = 8
  launch_type     = "EC2"

  network_configuration {
    subnets = aws_subnet.dev[*].id
  }
}
