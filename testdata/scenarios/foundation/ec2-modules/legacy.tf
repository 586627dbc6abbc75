# The legacy web service predates the modules: it was imported from the console and still
# names its cluster, task definition, subnets and security group by literal id. Two of
# its subnets are the default VPC's, read here to document their CIDRs; the third belongs
# to another team's state.

variable "legacy_subnet_ids" {
  type = map(string)
  default = {
    a = "subnet-0a1b2c3d4e5f60001"
    b = "subnet-0a1b2c3d4e5f60002"
  }
}

data "aws_subnet" "legacy" {
  for_each = var.legacy_subnet_ids
  id       = each.value
}

resource "aws_ecs_task_definition" "legacy" {
  family                   = "legacy-web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  cpu                      = "256"
  memory                   = "512"
  skip_destroy             = true

  container_definitions = jsonencode([
    {
      name         = "web"
      image        = "nginx:1.27"
      essential    = true
      portMappings = [{ containerPort = 80, hostPort = 80, protocol = "tcp" }]
    }
  ])
}

resource "aws_ecs_service" "legacy" {
  name            = "legacy-web"
  cluster         = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod-core"
  task_definition = "legacy-web:1"
  desired_count   = local.legacy_desired_count
  launch_type     = "EC2"

  network_configuration {
    subnets         = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0ffffffffffff0009"]
    security_groups = ["sg-0123456789abcdef0"]
  }
}

output "legacy_subnet_cidrs" {
  value = { for k, s in data.aws_subnet.legacy : k => s.cidr_block }
}
