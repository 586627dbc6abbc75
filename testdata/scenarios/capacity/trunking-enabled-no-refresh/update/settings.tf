# Trunking turned on to make room for 12 tasks. Nothing replaces the three running
# instances: they registered before the opt-in and keep 2 awsvpc slots each.
variable "stock_tasks" {
  type    = number
  default = 12
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}
