variable "image" {
  type    = string
  default = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/pricing:6.0.0"
}

variable "extra_ports" {
  type = list(object({
    name          = string
    containerPort = number
  }))
  default = []
}
