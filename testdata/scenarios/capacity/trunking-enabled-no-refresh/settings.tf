variable "stock_tasks" {
  type    = number
  default = 6
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}
