terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-west-2"
}

locals {
  name = "wiki"
  azs  = ["eu-west-2a", "eu-west-2b"]
}

resource "aws_vpc" "this" {
  cidr_block = "10.23.0.0/16"
}

resource "aws_subnet" "public" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = "10.23.${count.index}.0/24"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  availability_zone = local.azs[count.index]
  cidr_block        = "10.23.${64 + count.index * 16}.0/20"
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_launch_template" "this" {
  name_prefix   = "${local.name}-"
  image_id      = data.aws_ssm_parameter.ami.value
  instance_type = "t3.large"
  user_data = base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
    cluster = aws_ecs_cluster.this.name
  }))

  iam_instance_profile {
    name = "ecsInstanceRole"
  }
}

resource "aws_autoscaling_group" "this" {
  name                = local.name
  min_size            = 2
  max_size            = 3
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.this.id
    version = "$Latest"
  }
}

resource "aws_lb" "this" {
  name    = local.name
  subnets = aws_subnet.public[*].id
}

resource "aws_lb_target_group" "web" {
  name     = "${local.name}-web"
  port     = 80
  protocol = "HTTP"
  vpc_id   = aws_vpc.this.id

  health_check {
    path    = "/index.php"
    matcher = "200,302"
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}
