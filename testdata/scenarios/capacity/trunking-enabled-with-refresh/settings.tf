variable "stock_tasks" {
  type    = number
  default = 6
}

variable "ami" {
  type    = string
  default = "ami-0c1a2b3c4d5e6f701"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "disabled"
}
