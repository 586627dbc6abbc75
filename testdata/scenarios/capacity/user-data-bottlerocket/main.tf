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

locals {
  cluster_name = "secure"
}

data "aws_ssm_parameter" "bottlerocket" {
  name = "/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id"
}

resource "aws_vpc" "secure" {
  cidr_block = "10.39.0.0/16"
}

resource "aws_subnet" "secure" {
  count             = 2
  vpc_id            = aws_vpc.secure.id
  cidr_block        = cidrsubnet(aws_vpc.secure.cidr_block, 8, count.index)
  availability_zone = "eu-west-1${["a", "b"][count.index]}"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "secure" {
  name = local.cluster_name
}

# Bottlerocket reads TOML settings, not /etc/ecs/ecs.config.
resource "aws_launch_template" "secure" {
  name_prefix   = "${local.cluster_name}-"
  image_id      = data.aws_ssm_parameter.bottlerocket.value
  instance_type = "m5.large"
  user_data = base64encode(<<-TOML
    [settings.ecs]
    cluster = "${local.cluster_name}"
    enable-spot-instance-draining = true

    [settings.host-containers.admin]
    enabled = false
  TOML
  )
}

resource "aws_autoscaling_group" "secure" {
  name                = local.cluster_name
  min_size            = 2
  max_size            = 2
  vpc_zone_identifier = aws_subnet.secure[*].id

  launch_template {
    id      = aws_launch_template.secure.id
    version = "$Latest"
  }
}

resource "aws_ecs_task_definition" "vault_agent" {
  family       = "vault-agent"
  network_mode = "awsvpc"
  cpu          = "256"
  memory       = "512"
  container_definitions = jsonencode([{
    name         = "vault-agent"
    image        = "public.ecr.aws/hashicorp/vault:1.17"
    essential    = true
    portMappings = [{ containerPort = 8200 }]
  }])
}

resource "aws_ecs_service" "vault_agent" {
  name            = "vault-agent"
  cluster         = aws_ecs_cluster.secure.id
  task_definition = aws_ecs_task_definition.vault_agent.arn
  desired_count   = 6
  launch_type     = "EC2"

  network_configuration {
    subnets = aws_subnet.secure[*].id
  }
}
