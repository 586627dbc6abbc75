variable "name" {
  description = "Service and task family name."
  type        = string
}

variable "cluster_id" {
  type = string
}

variable "network_mode" {
  description = "Task network mode."
  type        = string
  default     = "awsvpc"
}

variable "image" {
  type = string
}

variable "port" {
  type    = number
  default = 8080
}

variable "cpu" {
  type    = number
  default = 256
}

variable "memory" {
  type    = number
  default = 512
}

variable "desired_count" {
  type    = number
  default = 1
}

variable "subnet_ids" {
  type = list(string)
}

variable "security_group_ids" {
  type    = list(string)
  default = []
}

variable "environment" {
  type    = map(string)
  default = {}
}
