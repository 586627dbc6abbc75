variable "instance_type" {
  description = "Graviton instances for the ingest nodes: xlarge has 4 ENIs, so 2 awsvpc slots after the log router."
  type        = string
  default     = "m6g.xlarge"
}

variable "max_instances" {
  type    = number
  default = 4
}
