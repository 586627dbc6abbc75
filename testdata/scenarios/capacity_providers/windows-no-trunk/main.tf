resource "aws_vpc" "main" {
  cidr_block = "10.84.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

# Trunking is on for the account, but only Linux container instances get a trunk.
resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}

resource "aws_ecs_cluster" "main" {
  name = "reports"
}

data "aws_ssm_parameter" "windows_ami" {
  name = "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-ECS_Optimized/image_id"
}

resource "aws_launch_template" "windows" {
  name_prefix   = "reports-windows-"
  image_id      = data.aws_ssm_parameter.windows_ami.value
  instance_type = "c5.large"
  user_data = base64encode(<<-EOF
    <powershell>
    Import-Module ECSTools
    Initialize-ECSAgent -Cluster reports -EnableTaskIAMRole -AwsvpcBlockIMDS
    </powershell>
  EOF
  )
}

resource "aws_autoscaling_group" "windows" {
  name                = "reports-windows"
  min_size            = 0
  max_size            = 2
  vpc_zone_identifier = aws_subnet.private[*].id

  launch_template {
    id      = aws_launch_template.windows.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "windows" {
  name = "reports-windows"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.windows.arn
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [aws_ecs_capacity_provider.windows.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.windows.name
    weight            = 1
  }
}

resource "aws_ecs_task_definition" "renderer" {
  family       = "reports-renderer"
  network_mode = "awsvpc"
  cpu          = "1024"
  memory       = "2048"

  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_FULL"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name         = "renderer"
    image        = "mcr.microsoft.com/dotnet/framework/aspnet:4.8"
    essential    = true
    portMappings = [{ containerPort = 80 }]
  }])
}

variable "renderers" {
  type    = number
  default = 6
}

# 2 × c5.large would take 20 tasks with trunking, but Windows instances keep 2 each: 4.
resource "aws_ecs_service" "renderer" {
  name                               = "reports-renderer"
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.renderer.arn
  desired_count                      = var.renderers
  deployment_minimum_healthy_percent = 50

  network_configuration {
    subnets = aws_subnet.private[*].id
  }

  depends_on = [aws_ecs_cluster_capacity_providers.main]
}
