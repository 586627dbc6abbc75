variable "context" { type = any }
variable "vpc_id" { type = string }
variable "ipv4_cidr_block" { type = string }
variable "availability_zones" { type = list(string) }

variable "max_subnet_count" {
  description = "Subnets are sized as if there were this many AZs (room to grow)."
  type        = number
  default     = 2
}

module "private_label" {
  source     = "../label"
  context    = var.context
  attributes = ["private"]
}

locals {
  # Private subnets take the lower half of the block, public the upper half.
  private_cidrs = [for i in range(var.max_subnet_count) : cidrsubnet(var.ipv4_cidr_block, ceil(log(var.max_subnet_count * 2, 2)), i)]
}

resource "aws_subnet" "private" {
  count             = module.private_label.enabled ? length(var.availability_zones) : 0
  vpc_id            = var.vpc_id
  cidr_block        = local.private_cidrs[count.index]
  availability_zone = var.availability_zones[count.index]
  tags              = merge(module.private_label.tags, { Tier = "private" })
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

output "private_subnet_cidrs" {
  value = aws_subnet.private[*].cidr_block
}
