# A deliberately plain module: literal launch type, a static network_configuration block,
# no count and no dynamic blocks.
variable "name" { type = string }
variable "cluster_id" { type = string }
variable "subnet_ids" { type = list(string) }
variable "image" { type = string }
variable "port" { type = number }

variable "desired_count" {
  type    = number
  default = null
}

variable "scheduling_strategy" {
  type    = string
  default = "REPLICA"
}

resource "aws_ecs_task_definition" "this" {
  family       = var.name
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = var.name
    image        = var.image
    essential    = true
    memory       = 256
    portMappings = [{ containerPort = var.port }]
  }])
}

resource "aws_ecs_service" "this" {
  name                = var.name
  cluster             = var.cluster_id
  task_definition     = aws_ecs_task_definition.this.arn
  desired_count       = var.desired_count
  scheduling_strategy = var.scheduling_strategy
  launch_type         = "EC2"

  network_configuration {
    subnets = var.subnet_ids
  }
}

output "service_name" {
  value = aws_ecs_service.this.name
}
