# Uses modules/ecs-service; `terraform plan` fails when ecsnet's functions find a mistake.
# Needs the ecsnet provider installed (README.md, "Use inside Terraform").

terraform {
  required_providers {
    aws    = { source = "hashicorp/aws" }
    ecsnet = { source = "ecsnet/ecsnet" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "host_port" {
  type    = number
  default = 80
}

variable "subnet_cidr" {
  type    = string
  default = "10.0.1.0/24"
}

module "web" {
  source = "./modules/ecs-service"

  name        = "web"
  cluster_arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod"
  subnet_ids  = ["subnet-0a1b2c3d4e5f60001"]
  containers = [{
    name         = "web"
    image        = "nginx"
    memory       = 256
    portMappings = [{ containerPort = 80, hostPort = var.host_port }]
  }]
  desired_count          = var.desired_count
  cluster_instance_types = ["c5.large"]
  cluster_max_size       = 2
}

# A warning, not an error: the subnet's room for awsvpc tasks.
check "subnet_room" {
  assert {
    condition     = provider::ecsnet::subnet_usable_ipv4(var.subnet_cidr) >= 4 * var.desired_count
    error_message = "The subnet has ${provider::ecsnet::subnet_usable_ipv4(var.subnet_cidr)} usable addresses, too few for ${var.desired_count} tasks during deployments."
  }
}
