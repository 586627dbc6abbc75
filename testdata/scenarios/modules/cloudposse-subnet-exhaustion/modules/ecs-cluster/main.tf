variable "context" { type = any }
variable "subnet_ids" { type = list(string) }

variable "capacity_providers_ec2" {
  type = map(object({
    instance_type    = string
    image_id         = string
    min_size         = number
    max_size         = number
    desired_capacity = optional(number)
  }))
  default = {}
}

module "this" {
  source  = "../label"
  context = var.context
}

resource "aws_ecs_cluster" "default" {
  count = module.this.enabled ? 1 : 0
  name  = module.this.id
  tags  = module.this.tags
}

resource "aws_launch_template" "default" {
  for_each = module.this.enabled ? var.capacity_providers_ec2 : {}

  name_prefix   = "${module.this.id}-${each.key}-"
  image_id      = each.value.image_id
  instance_type = each.value.instance_type
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${module.this.id} >> /etc/ecs/ecs.config\n")
  tags          = module.this.tags
}

resource "aws_autoscaling_group" "default" {
  for_each = module.this.enabled ? var.capacity_providers_ec2 : {}

  name                = "${module.this.id}-${each.key}"
  min_size            = each.value.min_size
  max_size            = each.value.max_size
  desired_capacity    = each.value.desired_capacity
  vpc_zone_identifier = var.subnet_ids

  launch_template {
    id      = aws_launch_template.default[each.key].id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "ec2" {
  for_each = module.this.enabled ? var.capacity_providers_ec2 : {}

  name = "${module.this.id}-${each.key}"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.default[each.key].arn
    managed_scaling {
      status          = "ENABLED"
      target_capacity = 100
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "default" {
  count              = module.this.enabled ? 1 : 0
  cluster_name       = aws_ecs_cluster.default[0].name
  capacity_providers = [for k, v in aws_ecs_capacity_provider.ec2 : v.name]
}

output "arn" {
  value = one(aws_ecs_cluster.default[*].arn)
}

output "name" {
  value = one(aws_ecs_cluster.default[*].name)
}

output "capacity_provider_names" {
  value = { for k, v in aws_ecs_capacity_provider.ec2 : k => v.name }
}
