resource "aws_vpc" "main" {
  cidr_block = "10.87.0.0/16"
}

# One /28: 11 usable addresses.
resource "aws_subnet" "private" {
  count             = 1
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.87.0.0/28"
  availability_zone = "eu-west-1a"
}

resource "aws_ecs_cluster" "main" {
  name = "storefront"
}

resource "aws_ecs_task_definition" "web" {
  family                   = "storefront-web"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name         = "web"
    image        = "public.ecr.aws/docker/library/nginx:stable"
    essential    = true
    portMappings = [{ containerPort = 80 }]
  }])
}

# The strategy block is written as a dynamic block, which terraform show -json leaves out
# of the configuration; its value is known in this plan.
resource "aws_ecs_service" "web" {
  name            = "storefront-web"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 6
  launch_type     = "FARGATE"

  # A rolling deployment peaks at 9 (fits the /28); both revisions of a blue/green one
  # run 12 (does not).
  deployment_maximum_percent = 150

  dynamic "deployment_configuration" {
    for_each = local.strategies
    content {
      strategy = deployment_configuration.value
    }
  }

  network_configuration {
    subnets = aws_subnet.private[*].id
  }
}
