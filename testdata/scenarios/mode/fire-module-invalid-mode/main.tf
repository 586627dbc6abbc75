# Task definitions for the reporting stack, one per entry of a settings map that the
# platform team shares with its CloudFormation templates. The reports entry was copied
# from a CloudFormation parameter file, where someone wrote the mode in capitals.
locals {
  registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"

  tasks = {
    api = {
      network_mode = "awsvpc"
      cpu          = 512
      memory       = 1024
      port         = 8080
    }
    reports = {
      network_mode = "AWSVPC"
      cpu          = 1024
      memory       = 2048
      port         = 8081
    }
  }
}

module "task" {
  source   = "./modules/task-definition"
  for_each = local.tasks

  family       = "reporting-${each.key}"
  network_mode = each.value.network_mode
  cpu          = each.value.cpu
  memory       = each.value.memory
  image        = "${local.registry}/reporting-${each.key}:1.8.2"
  port         = each.value.port
}
