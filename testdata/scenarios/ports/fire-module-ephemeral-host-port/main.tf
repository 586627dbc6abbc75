terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "tasks" {
  type = map(object({
    image     = string
    port      = number
    host_port = optional(number)
  }))
  default = {
    quotes = { image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/quotes:2.0.0", port = 8080 }
    # The vendor's firewall rule only allows port 50000 on our instances.
    fix-gateway = { image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fix-gateway:5.1.3", port = 9878, host_port = 50000 }
  }
}

module "task" {
  source   = "./modules/ec2-task"
  for_each = var.tasks

  family    = each.key
  image     = each.value.image
  port      = each.value.port
  host_port = each.value.host_port
}
