variable "name" {
  type = string
}

variable "create" {
  type    = bool
  default = true
}

resource "aws_ecs_cluster" "this" {
  count = var.create ? 1 : 0

  name = var.name
}

output "cluster_arn" {
  value = try(aws_ecs_cluster.this[0].arn, null)
}
