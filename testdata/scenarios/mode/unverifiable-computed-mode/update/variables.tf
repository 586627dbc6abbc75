variable "network_mode" {
  type    = string
  default = "awsvpc"
}

# New release: the task definition gets a new revision; the platform settings are unchanged.
variable "image_tag" {
  type    = string
  default = "2024.12.0"
}
