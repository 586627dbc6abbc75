variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "name" {
  type    = string
  default = "shop"
}

variable "ec2_instance_type" {
  type    = string
  default = "c5.large"
}

variable "ec2_max_instances" {
  type    = number
  default = 3
}

variable "catalog_replicas" {
  type    = number
  default = 12
}

variable "fargate_services" {
  description = "Stateless Fargate services behind the ALB."
  type = map(object({
    port          = number
    desired_count = number
    path          = string
    priority      = number
  }))
  default = {
    checkout = { port = 8080, desired_count = 3, path = "/checkout/*", priority = 10 }
    cart     = { port = 8090, desired_count = 2, path = "/cart/*", priority = 20 }
  }
}
