variable "name" {
  type    = string
  default = "profile"
}

variable "desired_count" {
  type    = number
  default = 4
}

variable "container_port" {
  type    = number
  default = 8080
}
