variable "core_stack_name" {
  description = "Name of the core infrastructure (VPC, cluster, capacity)."
  type        = string
}

variable "vpc_cidr" {
  type = string
}

variable "az_count" {
  type    = number
  default = 3
}

variable "instance_type" {
  type = string
}

variable "asg_max_size" {
  type = number
}

variable "awsvpc_trunking" {
  description = "Turn on awsvpcTrunking for the account (and roll the instances)."
  type        = bool
  default     = false
}
