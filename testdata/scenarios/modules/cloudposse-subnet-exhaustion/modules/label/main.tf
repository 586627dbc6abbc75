# A small "label" module in the cloudposse manner: a context object passed from module to
# module, from which ids and tags are derived.
variable "context" {
  type = object({
    enabled     = bool
    namespace   = string
    environment = string
    stage       = string
    name        = string
    attributes  = list(string)
    tags        = map(string)
  })
  default = {
    enabled     = true
    namespace   = null
    environment = null
    stage       = null
    name        = null
    attributes  = []
    tags        = {}
  }
}

variable "name" {
  type    = string
  default = null
}

variable "attributes" {
  type    = list(string)
  default = []
}

locals {
  name       = coalesce(var.name, var.context.name)
  attributes = concat(var.context.attributes, var.attributes)
  parts      = compact(concat([var.context.namespace, var.context.environment, var.context.stage, local.name], local.attributes))
  id         = join("-", local.parts)
}

output "id" {
  value = var.context.enabled ? local.id : ""
}

output "enabled" {
  value = var.context.enabled
}

output "tags" {
  value = merge(var.context.tags, { Name = local.id, Namespace = var.context.namespace, Stage = var.context.stage })
}

output "context" {
  value = merge(var.context, { name = local.name, attributes = local.attributes })
}
