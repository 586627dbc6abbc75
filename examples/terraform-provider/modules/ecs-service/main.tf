# An ECS service on EC2 container instances whose network mistakes stop `terraform plan`
# for every caller of the module: ecsnet's task-definition rules and the cluster's awsvpc
# task slots, through the ecsnet provider's functions.

terraform {
  required_providers {
    aws    = { source = "hashicorp/aws" }
    ecsnet = { source = "ecsnet/ecsnet" }
  }
}

variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "containers" {
  description = "Container definitions, as jsonencode() takes them"
  type        = any
}

variable "network_mode" {
  type    = string
  default = "awsvpc"
}

variable "desired_count" {
  type = number
}

variable "cluster_instance_types" {
  description = "Instance types of the cluster's autoscaling group"
  type        = list(string)

  validation {
    condition     = alltrue([for t in var.cluster_instance_types : provider::ecsnet::instance_type(t).max_enis > 1])
    error_message = "Every instance type needs a second ENI for awsvpc tasks."
  }
}

variable "cluster_max_size" {
  type = number
}

variable "awsvpc_trunking" {
  description = "Whether the awsvpcTrunking account setting is enabled"
  type        = bool
  default     = false
}

variable "awsvpc_daemons" {
  description = "awsvpc DAEMON services on the cluster"
  type        = number
  default     = 0
}

locals {
  task_definition = {
    family                   = var.name
    network_mode             = var.network_mode
    requires_compatibilities = ["EC2"]
    container_definitions    = jsonencode(var.containers)
  }
  # ecsnet's rules NET001-NET032 on the task definition this module is about to create.
  errors = [
    for f in provider::ecsnet::task_definition_findings(local.task_definition) :
    "${f.rule} ${f.message}" if f.severity == "error"
  ]
  capacity = provider::ecsnet::cluster_awsvpc_capacity(
    var.cluster_instance_types, var.cluster_max_size, var.awsvpc_trunking, var.awsvpc_daemons
  )
  # A rolling deployment starts the new tasks before it stops the old ones (maximum_percent 200).
  peak_tasks = var.desired_count * 2
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.task_definition.family
  network_mode             = local.task_definition.network_mode
  requires_compatibilities = local.task_definition.requires_compatibilities
  container_definitions    = local.task_definition.container_definitions

  lifecycle {
    precondition {
      condition     = length(local.errors) == 0
      error_message = "ecsnet: ${join("; ", local.errors)}"
    }
    # The resource itself works too: the attributes ecsnet reads are known here.
    postcondition {
      condition     = length([for f in provider::ecsnet::task_definition_findings(self) : f if f.severity == "error"]) == 0
      error_message = "ecsnet found errors in the planned task definition."
    }
  }
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count

  network_configuration {
    subnets = var.subnet_ids
  }

  lifecycle {
    precondition {
      condition     = var.network_mode != "awsvpc" || local.capacity.slots >= local.peak_tasks
      error_message = "ecsnet: ${local.peak_tasks} awsvpc tasks at deployment peak, but the cluster has ${local.capacity.arithmetic}."
    }
  }
}
