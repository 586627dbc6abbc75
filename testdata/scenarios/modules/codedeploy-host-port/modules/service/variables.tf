variable "create_service" {
  type    = bool
  default = true
}

variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "network_mode" {
  type    = string
  default = "awsvpc"
}

variable "desired_count" {
  type    = number
  default = 1
}

variable "deployment_controller" {
  description = "Deployment controller settings; type = CODE_DEPLOY for blue/green through CodeDeploy."
  type        = map(string)
  default     = {}
}

variable "container_definitions" {
  type = any
}

variable "load_balancer" {
  type    = any
  default = {}
}

variable "launch_type" {
  type    = string
  default = "EC2"
}
