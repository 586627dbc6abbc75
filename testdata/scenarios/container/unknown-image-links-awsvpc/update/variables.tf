variable "env" {
  type    = string
  default = "prod"
}

variable "desired_count" {
  type    = number
  default = 3
}
