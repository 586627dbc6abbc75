variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "security_group_ids" {
  type = list(string)
}

variable "container_image" {
  type = string
}

variable "container_port" {
  type    = number
  default = 8080
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "load_balanced" {
  description = "Create a target group and a listener rule on alb_listener_arn."
  type        = bool
  default     = false
}

variable "alb_listener_arn" {
  type    = string
  default = null
}

variable "host_header" {
  type    = string
  default = null
}

variable "health_check_path" {
  type    = string
  default = "/health"
}
