variable "create" {
  description = "Whether to create the service and its task definition."
  type        = bool
  default     = true
}

variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "desired_count" {
  type    = number
  default = 1
}

variable "launch_type" {
  type    = string
  default = null
}

variable "capacity_provider_strategy" {
  type = map(object({
    capacity_provider = string
    weight            = optional(number)
    base              = optional(number)
  }))
  default = {}
}

variable "network_mode" {
  type    = string
  default = "awsvpc"
}

variable "requires_compatibilities" {
  type    = list(string)
  default = ["EC2"]
}

variable "cpu" {
  type    = number
  default = null
}

variable "memory" {
  type    = number
  default = null
}

variable "container_definitions" {
  description = "Containers keyed by name."
  type        = any
  default     = {}
}

variable "subnet_ids" {
  type    = list(string)
  default = []
}

variable "security_group_ids" {
  type    = list(string)
  default = []
}

variable "assign_public_ip" {
  type    = bool
  default = false
}

variable "load_balancer" {
  type    = any
  default = {}
}

variable "deployment_maximum_percent" {
  type    = number
  default = 200
}

variable "deployment_minimum_healthy_percent" {
  type    = number
  default = 66
}

variable "deployment_circuit_breaker" {
  type    = any
  default = {}
}

variable "enable_execute_command" {
  type    = bool
  default = false
}

variable "tags" {
  type    = map(string)
  default = {}
}
