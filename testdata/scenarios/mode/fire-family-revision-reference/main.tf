variable "desired_count" {
  type = number
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

resource "aws_ecs_cluster" "tools" {
  name = "tools"
}

# An EC2-era definition: awsvpc, but only EC2 in requires_compatibilities.
resource "aws_ecs_task_definition" "linkchecker" {
  family                   = "linkchecker"
  network_mode             = "awsvpc"
  requires_compatibilities = ["EC2"]
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name      = "linkchecker"
      image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/linkchecker:1.2.0"
      essential = true
    }
  ])
}

resource "aws_ecs_service" "linkchecker" {
  name = "linkchecker"
  # family:revision, so a new revision is deployed only when the definition changes.
  task_definition = "${aws_ecs_task_definition.linkchecker.family}:${aws_ecs_task_definition.linkchecker.revision}"
  cluster         = aws_ecs_cluster.tools.id
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    assign_public_ip = true
  }
}
