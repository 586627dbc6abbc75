terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_ecs_cluster" "legacy" {
  name = "legacy"
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "legacy" {
  name_prefix   = "legacy-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "m5.large"

  iam_instance_profile {
    name = "ecsInstanceRole"
  }

  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=legacy >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "legacy" {
  name                = "legacy"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = data.aws_subnets.default.ids

  launch_template {
    id      = aws_launch_template.legacy.id
    version = "$Latest"
  }
}

# A Classic Load Balancer in front of bridge-mode tasks on EC2: ECS registers the container
# instances, which is what a Classic Load Balancer supports.
resource "aws_elb" "app" {
  name    = "legacy-app"
  subnets = data.aws_subnets.default.ids

  listener {
    instance_port     = 8080
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}

resource "aws_ecs_task_definition" "app" {
  family       = "legacy-app"
  network_mode = "bridge"

  container_definitions = jsonencode([{
    name         = "app"
    image        = "public.ecr.aws/example/legacy-app:9"
    essential    = true
    memory       = 512
    portMappings = [{ containerPort = 8080, hostPort = 8080 }]
  }])
}

resource "aws_ecs_service" "app" {
  name            = "legacy-app"
  cluster         = aws_ecs_cluster.legacy.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
  launch_type     = "EC2"

  load_balancer {
    elb_name       = aws_elb.app.name
    container_name = "app"
    container_port = 8080
  }
}
