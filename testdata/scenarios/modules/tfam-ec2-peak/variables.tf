variable "environment" {
  type    = string
  default = "prod"
}

variable "instance_type" {
  type    = string
  default = "c5.large"
}

variable "max_instances" {
  type    = number
  default = 3
}

variable "services" {
  description = "Services on the EC2 cluster."
  type = map(object({
    desired_count   = number
    container_port  = number
    image           = string
    max_percent     = optional(number, 200)
    min_healthy_pct = optional(number, 100)
  }))
  default = {
    orders = {
      desired_count  = 6
      container_port = 8080
      image          = "public.ecr.aws/docker/library/nginx:1.27"
    }
  }
}
