# EC2 capacity that joins cluster "render" through cloud-init user data only, in the
# encodings the cloudinit provider's cloudinit_config renders (written out here so the plan
# needs no other provider): a launch template whose user data is a MIME multipart archive,
# gzipped and base64-encoded (cloudinit_config's defaults), with a #cloud-config part that
# writes /etc/ecs/ecs.config; a launch template with the archive base64-encoded only
# (gzip = false) and a shell-script part; and an instance with a gzipped script
# (base64gzip). That is 3 + 1 + 1 = 5 instances at the groups' max size, enough for a bridge
# service that wants 5 tasks on a static host port; found without decoding, it would be 1.

terraform {
  required_version = ">= 1.5"
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
  cloud_config = <<-EOT
    #cloud-config
    write_files:
      - path: /etc/ecs/ecs.config
        append: true
        content: |
          ECS_CLUSTER=render
          ECS_ENABLE_CONTAINER_METADATA=true
  EOT

  archive = join("\r\n", [
    "Content-Type: multipart/mixed; boundary=\"MIMEBOUNDARY\"",
    "MIME-Version: 1.0",
    "",
    "--MIMEBOUNDARY",
    "Content-Transfer-Encoding: 7bit",
    "Content-Type: text/cloud-config",
    "Mime-Version: 1.0",
    "",
    local.cloud_config,
    "--MIMEBOUNDARY",
    "Content-Transfer-Encoding: 7bit",
    "Content-Type: text/x-shellscript",
    "Mime-Version: 1.0",
    "",
    "#!/bin/bash\nyum install -y amazon-cloudwatch-agent\n",
    "--MIMEBOUNDARY--",
    "",
  ])

  script_archive = join("\r\n", [
    "Content-Type: multipart/mixed; boundary=\"MIMEBOUNDARY\"",
    "MIME-Version: 1.0",
    "",
    "--MIMEBOUNDARY",
    "Content-Transfer-Encoding: 7bit",
    "Content-Type: text/x-shellscript",
    "Mime-Version: 1.0",
    "",
    "#!/bin/bash\necho ECS_CLUSTER=render >> /etc/ecs/ecs.config\n",
    "--MIMEBOUNDARY--",
    "",
  ])
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_ecs_cluster" "render" {
  name = "render"
}

resource "aws_vpc" "render" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_subnet" "render" {
  count = 2

  vpc_id            = aws_vpc.render.id
  cidr_block        = cidrsubnet(aws_vpc.render.cidr_block, 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_launch_template" "render" {
  name_prefix   = "render-"
  image_id      = nonsensitive(data.aws_ssm_parameter.ecs_ami.value)
  instance_type = "c5.large"
  user_data     = base64gzip(local.archive)

  iam_instance_profile {
    name = "ecsInstanceRole"
  }
}

resource "aws_autoscaling_group" "render" {
  name                = "render-ecs"
  min_size            = 1
  max_size            = 3
  desired_capacity    = 2
  vpc_zone_identifier = aws_subnet.render[*].id

  launch_template {
    id      = aws_launch_template.render.id
    version = "$Latest"
  }
}

resource "aws_launch_template" "tools" {
  name_prefix   = "tools-"
  image_id      = nonsensitive(data.aws_ssm_parameter.ecs_ami.value)
  instance_type = "m5.large"
  user_data     = base64encode(local.script_archive)
}

resource "aws_autoscaling_group" "tools" {
  name                = "tools-ecs"
  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [aws_subnet.render[0].id]

  launch_template {
    id      = aws_launch_template.tools.id
    version = "$Latest"
  }
}

resource "aws_instance" "spare" {
  ami                  = nonsensitive(data.aws_ssm_parameter.ecs_ami.value)
  instance_type        = "m5.large"
  subnet_id            = aws_subnet.render[1].id
  iam_instance_profile = "ecsInstanceRole"
  user_data_base64     = base64gzip("#!/bin/bash\necho ECS_CLUSTER=render >> /etc/ecs/ecs.config\n")
}

resource "aws_ecs_task_definition" "tiles" {
  family       = "tiles"
  network_mode = "bridge"
  memory       = "512"

  container_definitions = jsonencode([
    {
      name         = "tiles"
      image        = "busybox"
      essential    = true
      memory       = 512
      portMappings = [{ containerPort = 8080, hostPort = 80, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "tiles" {
  name            = "tiles"
  cluster         = aws_ecs_cluster.render.arn
  task_definition = aws_ecs_task_definition.tiles.arn
  desired_count   = 5
  launch_type     = "EC2"
}
