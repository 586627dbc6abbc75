variable "namespace" {
  type    = string
  default = "eg"
}

variable "stage" {
  type    = string
  default = "dev"
}

variable "availability_zones" {
  description = "One AZ in dev to save on NAT gateways."
  type        = list(string)
  default     = ["us-west-2a"]
}

variable "ingest_desired_count" {
  type    = number
  default = 40
}

variable "instances_max" {
  type    = number
  default = 30
}
