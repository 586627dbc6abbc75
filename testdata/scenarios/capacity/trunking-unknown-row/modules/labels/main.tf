variable "environment" {
  type = string
}

variable "service" {
  type = string
}

output "id" {
  value = "${var.environment}-${var.service}"
}

output "tags" {
  value = {
    Environment = var.environment
    Service     = var.service
  }
}
