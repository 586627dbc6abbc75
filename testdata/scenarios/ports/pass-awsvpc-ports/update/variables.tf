variable "image" {
  type    = string
  default = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/pricing:6.1.0"
}

# Expose the Prometheus endpoint too.
variable "extra_ports" {
  type = list(object({
    name          = string
    containerPort = number
  }))
  default = [{ name = "metrics", containerPort = 9090 }]
}
