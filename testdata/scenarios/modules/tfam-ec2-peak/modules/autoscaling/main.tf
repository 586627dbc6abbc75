variable "create" {
  type    = bool
  default = true
}

variable "name" {
  type = string
}

variable "image_id" {
  type = string
}

variable "instance_type" {
  type = string
}

variable "min_size" {
  type    = number
  default = 0
}

variable "max_size" {
  type = number
}

variable "desired_capacity" {
  type    = number
  default = null
}

variable "vpc_zone_identifier" {
  type = list(string)
}

variable "user_data" {
  description = "Base64-encoded user data."
  type        = string
  default     = null
}

variable "protect_from_scale_in" {
  type    = bool
  default = false
}

variable "autoscaling_group_tags" {
  type    = map(string)
  default = {}
}

resource "aws_launch_template" "this" {
  count = var.create ? 1 : 0

  name_prefix   = "${var.name}-"
  image_id      = var.image_id
  instance_type = var.instance_type
  user_data     = var.user_data

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
}

resource "aws_autoscaling_group" "this" {
  count = var.create ? 1 : 0

  name                  = var.name
  min_size              = var.min_size
  max_size              = var.max_size
  desired_capacity      = var.desired_capacity
  vpc_zone_identifier   = var.vpc_zone_identifier
  protect_from_scale_in = var.protect_from_scale_in

  launch_template {
    id      = aws_launch_template.this[0].id
    version = aws_launch_template.this[0].latest_version
  }

  dynamic "tag" {
    for_each = var.autoscaling_group_tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

output "autoscaling_group_arn" {
  value = try(aws_autoscaling_group.this[0].arn, null)
}

output "autoscaling_group_name" {
  value = try(aws_autoscaling_group.this[0].name, null)
}
