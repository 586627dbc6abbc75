variable "stock_tasks" {
  type    = number
  default = 6
}
