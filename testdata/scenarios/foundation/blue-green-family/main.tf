# Blue/green copies of the checkout service, one module instance per colour. Both task
# definitions register the family "checkout" and each service names its own by
# "family:revision", so the family alone does not say which one a service runs: the
# for_each key of the service's configuration reference does. The cluster is shared and
# managed elsewhere; it is read through a data source during planning, and so is the
# payments subnet both colours run in. Green idles until the cut-over (update/), when both
# colours run their full count in that /27 and its addresses no longer suffice for a
# deployment.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

variable "subnet_ids" {
  description = "Private subnets of the payments VPC (managed by the network team)."
  type        = list(string)
  default     = ["subnet-0b6e1c2d3a4f50001"]
}

data "aws_subnet" "payments" {
  for_each = toset(var.subnet_ids)
  id       = each.value
}

variable "security_group_ids" {
  description = "Security groups the checkout tasks run with."
  type        = list(string)
  default     = ["sg-0b6e1c2d3a4f50001"]
}

data "aws_ecs_cluster" "payments" {
  cluster_name = "payments"
}

module "checkout" {
  source   = "./modules/service"
  for_each = local.colors

  color              = each.key
  image_tag          = each.value.image_tag
  cpu                = each.value.cpu
  memory             = each.value.memory
  desired_count      = each.value.desired_count
  cluster_arn        = data.aws_ecs_cluster.payments.arn
  subnet_ids         = [for s in data.aws_subnet.payments : s.id]
  security_group_ids = var.security_group_ids
}

output "services" {
  value = { for color, m in module.checkout : color => m.service_name }
}
