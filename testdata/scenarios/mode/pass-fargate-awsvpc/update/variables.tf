variable "container_port" {
  type    = number
  default = 8080
}

# Black Friday: more tasks, bigger tasks.
variable "desired_count" {
  type    = number
  default = 6
}

variable "task_cpu" {
  type    = number
  default = 1024
}

variable "task_memory" {
  type    = number
  default = 2048
}
