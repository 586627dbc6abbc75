variable "windows_image" {
  type    = string
  default = "123456789012.dkr.ecr.us-east-1.amazonaws.com/intranet:2.0.3-ltsc2022"
}

# Moving the intranet to awsvpc so it gets its own security group.
variable "intranet_network_mode" {
  type    = string
  default = "awsvpc"
}
