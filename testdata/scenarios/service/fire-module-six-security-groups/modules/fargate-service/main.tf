variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "shared_security_group_ids" {
  description = "Security groups every service of the platform joins."
  type        = list(string)
  default     = []
}

variable "ingress" {
  description = "One security group per ingress source, named after it."
  type = map(object({
    port        = number
    cidr_blocks = list(string)
  }))
  default = {}
}

variable "image" {
  type = string
}

variable "desired_count" {
  type    = number
  default = 1
}

resource "aws_security_group" "ingress" {
  for_each = var.ingress

  name   = "${var.name}-${each.key}"
  vpc_id = var.vpc_id

  ingress {
    from_port   = each.value.port
    to_port     = each.value.port
    protocol    = "tcp"
    cidr_blocks = each.value.cidr_blocks
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"

  container_definitions = jsonencode([{
    name         = "app"
    image        = var.image
    essential    = true
    portMappings = [for k, v in var.ingress : { containerPort = v.port, name = k }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = var.subnet_ids
    security_groups = concat(var.shared_security_group_ids, [for sg in aws_security_group.ingress : sg.id])
  }
}
