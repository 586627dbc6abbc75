terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-central-1"
}

# On-premises systems reached over Direct Connect, without a DNS zone for them.
variable "onprem_hosts" {
  type = map(string)
  default = {
    "sap.corp.example"  = "10.200.4.17"
    "ldap.corp.example" = "10.200.4.30"
  }
}

module "invoice_sync" {
  source = "./modules/fargate-task"

  name  = "invoice-sync"
  image = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/invoice-sync:2.0.9"
  container_overrides = {
    extraHosts = [for h, ip in var.onprem_hosts : { hostname = h, ipAddress = ip }]
    dnsServers = ["10.200.0.2"]
  }
}
