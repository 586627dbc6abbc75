variable "windows_image" {
  type    = string
  default = "123456789012.dkr.ecr.us-east-1.amazonaws.com/intranet:2.0.3-ltsc2022"
}

# null: the Windows default (nat) mode.
variable "intranet_network_mode" {
  type    = string
  default = null
}
