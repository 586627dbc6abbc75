output "id" {
  value = try(aws_ecs_service.this[0].id, null)
}

output "name" {
  value = try(aws_ecs_service.this[0].name, null)
}

output "task_definition_arn" {
  value = try(aws_ecs_task_definition.this[0].arn, null)
}
