# c7i is newer than the ECS trunking table ecsnet embeds; the limit is from the
# current ECS documentation, checked by the platform team.
instance_type "c7i.large" {
  awsvpc_tasks_trunked = 10
  source               = "ECS developer guide, eni-trunking-supported-instance-types, read 2026-12-01"
}
