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

# A small staging cluster on two hand-managed instances, no autoscaling group; the instances
# get their user data base64-encoded.
variable "instance_count" {
  type    = number
  default = 2
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_vpc" "staging" {
  cidr_block = "10.200.0.0/16"
}

resource "aws_subnet" "staging" {
  count             = 2
  vpc_id            = aws_vpc.staging.id
  cidr_block        = cidrsubnet(aws_vpc.staging.cidr_block, 8, count.index)
  availability_zone = "eu-west-1${["a", "b"][count.index]}"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}

resource "aws_ecs_cluster" "staging" {
  name = "staging-apps"
}

resource "aws_iam_role" "node" {
  name = "staging-apps-node"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_instance_profile" "node" {
  name = "staging-apps-node"
  role = aws_iam_role.node.name
}

resource "aws_instance" "node" {
  count                = var.instance_count
  ami                  = nonsensitive(data.aws_ssm_parameter.ecs_ami.value)
  instance_type        = "m5.large"
  subnet_id            = aws_subnet.staging[count.index].id
  iam_instance_profile = aws_iam_instance_profile.node.name

  # Stored as given (no StateFunc hashes user_data_base64), so the plan shows the script.
  user_data_base64 = base64encode(<<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=${aws_ecs_cluster.staging.name} >> /etc/ecs/ecs.config
  EOT
  )

  tags = { Name = "staging-apps-${count.index}" }
}

resource "aws_ecs_task_definition" "web" {
  family       = "staging-web"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "web"
    image        = "public.ecr.aws/docker/library/httpd:2.4"
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = 80 }]
  }])
}

# Five awsvpc tasks on two m5.large (2 slots each): one never finds an ENI.
resource "aws_ecs_service" "web" {
  name            = "staging-web"
  cluster         = aws_ecs_cluster.staging.id
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 5
  launch_type     = "EC2"

  deployment_configuration {
    strategy = "ROLLING"
  }

  network_configuration {
    subnets = aws_subnet.staging[*].id
  }
}
