variable "release" {
  type    = string
  default = "2025.02.1"
}

locals {
  registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"

  # Port settings carried over from the bridge-mode era of each service.
  services = {
    storefront = {
      cpu    = 512
      memory = 1024
      ports  = [{ containerPort = 3000 }]
    }
    admin = {
      cpu    = 256
      memory = 512
      ports  = [{ containerPort = 8080, hostPort = 80 }]
    }
    events = {
      cpu    = 256
      memory = 512
      ports  = [{ containerPort = 9000, hostPort = 0, protocol = "tcp" }]
    }
  }
}

module "task" {
  source   = "./modules/task"
  for_each = local.services

  name          = each.key
  image         = "${local.registry}/${each.key}:${var.release}"
  cpu           = each.value.cpu
  memory        = each.value.memory
  port_mappings = each.value.ports
}
