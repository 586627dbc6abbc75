variable "network_mode" {
  type    = string
  default = "awsvpc"
}

variable "image_tag" {
  type    = string
  default = "2024.11.3"
}
