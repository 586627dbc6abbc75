variable "instance_type" {
  description = "Graviton instances for the ingest nodes."
  type        = string
  default     = "m6g.medium"
}

variable "max_instances" {
  type    = number
  default = 4
}
