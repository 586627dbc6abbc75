# EC2 capacity that joins its cluster through user data alone, with no capacity provider:
# an autoscaling group on a launch configuration, two GPU instances and an inference
# instance, each with "ECS_CLUSTER=batch" in its user data (the launch configuration's and
# the GPU instances' as literal text, which the AWS provider plans as a SHA-1 hash; the
# inference instance's as base64). The cluster is made by module.ecs[0] (a counted module)
# and reached through its output. A bridge service with a static host port and a daemon in
# host mode run on it.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "cluster_name" {
  type    = string
  default = "batch"
}

variable "create_cluster" {
  type    = bool
  default = true
}

module "ecs" {
  source = "./modules/ecs-cluster"
  count  = var.create_cluster ? 1 : 0

  name = var.cluster_name
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
}

resource "aws_vpc" "batch" {
  cidr_block = "10.50.0.0/16"

  tags = {
    Name = "batch"
  }
}

resource "aws_subnet" "batch" {
  count = 2

  vpc_id            = aws_vpc.batch.id
  cidr_block        = cidrsubnet(aws_vpc.batch.cidr_block, 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]

  tags = {
    Name = "batch-${count.index}"
  }
}

resource "aws_launch_configuration" "batch" {
  name_prefix                 = "batch-"
  image_id                    = nonsensitive(data.aws_ssm_parameter.ecs_ami.value)
  instance_type               = "m5.large"
  iam_instance_profile        = "ecsInstanceRole"
  associate_public_ip_address = false
  enable_monitoring           = true
  ebs_optimized               = true

  user_data = <<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=batch >> /etc/ecs/ecs.config
    echo ECS_RESERVED_PORTS=[22,2375,2376,51678,51679] >> /etc/ecs/ecs.config
  EOT

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_autoscaling_group" "batch" {
  name                 = "batch-ecs"
  min_size             = 2
  max_size             = 4
  desired_capacity     = 2
  launch_configuration = aws_launch_configuration.batch.name
  vpc_zone_identifier  = aws_subnet.batch[*].id
}

resource "aws_instance" "gpu" {
  count = 2

  ami                  = nonsensitive(data.aws_ssm_parameter.ecs_ami.value)
  instance_type        = "g4dn.xlarge"
  subnet_id            = aws_subnet.batch[count.index].id
  iam_instance_profile = "ecsInstanceRole"

  user_data = <<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=batch >> /etc/ecs/ecs.config
  EOT

  tags = {
    Name = "batch-gpu-${count.index}"
  }
}

resource "aws_instance" "inference" {
  ami                  = nonsensitive(data.aws_ssm_parameter.ecs_ami.value)
  instance_type        = "inf2.xlarge"
  subnet_id            = aws_subnet.batch[1].id
  iam_instance_profile = "ecsInstanceRole"

  user_data_base64 = base64encode(<<-EOT
    #!/bin/bash
    echo 'ECS_CLUSTER=batch' >> /etc/ecs/ecs.config
  EOT
  )

  tags = {
    Name = "batch-inference"
  }
}

resource "aws_ecs_task_definition" "report" {
  family       = "report"
  network_mode = "bridge"
  memory       = "512"

  container_definitions = jsonencode([
    {
      name         = "report"
      image        = "busybox"
      essential    = true
      memory       = 512
      portMappings = [{ containerPort = 8080, hostPort = 80, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "report" {
  name            = "report"
  cluster         = module.ecs[0].cluster_arn
  task_definition = aws_ecs_task_definition.report.arn
  desired_count   = 3
  launch_type     = "EC2"
}

resource "aws_ecs_task_definition" "agent" {
  family                   = "log-agent"
  network_mode             = "host"
  requires_compatibilities = ["EC2"]
  memory                   = "128"

  container_definitions = jsonencode([
    {
      name         = "agent"
      image        = "fluent/fluent-bit:3.0"
      essential    = true
      memory       = 128
      portMappings = [{ containerPort = 24224, hostPort = 24224, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "agent" {
  name                = "log-agent"
  cluster             = module.ecs[0].cluster_arn
  task_definition     = aws_ecs_task_definition.agent.arn
  launch_type         = "EC2"
  scheduling_strategy = "DAEMON"
}
