variable "container_name" { type = string }
variable "container_image" { type = string }

variable "container_memory" {
  type    = number
  default = null
}

variable "port_mappings" {
  type = list(object({
    containerPort = number
    hostPort      = optional(number)
    protocol      = optional(string, "tcp")
  }))
  default = []
}

variable "environment" {
  type    = list(object({ name = string, value = string }))
  default = []
}

locals {
  container_definition = {
    name         = var.container_name
    image        = var.container_image
    memory       = var.container_memory
    essential    = true
    portMappings = var.port_mappings
    environment  = var.environment
  }
  # Drop nulls the way the API would print the definition back.
  container_definition_without_null = { for k, v in local.container_definition : k => v if v != null }
}

output "json_map_encoded_list" {
  value = jsonencode([local.container_definition_without_null])
}
