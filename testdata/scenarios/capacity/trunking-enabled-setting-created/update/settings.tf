# Trunking turned on by a new aws_ecs_account_setting_default, with the running instances
# kept: whether they have the trunk depends on what the account had before, which the plan
# does not show.
variable "stock_tasks" {
  type    = number
  default = 12
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}
