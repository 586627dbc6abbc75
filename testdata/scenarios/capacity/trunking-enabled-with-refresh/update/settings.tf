# Trunking turned on to make room for 12 tasks, together with a new AMI: the template gets
# a new version, the group follows it and its instance refresh replaces the three running
# instances, which register after the opt-in and get the trunk.
variable "stock_tasks" {
  type    = number
  default = 12
}

variable "ami" {
  type    = string
  default = "ami-0c1a2b3c4d5e6f702"
}

resource "aws_ecs_account_setting_default" "trunking" {
  name  = "awsvpcTrunking"
  value = "enabled"
}
