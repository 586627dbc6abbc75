output "cluster_name" {
  value = aws_ecs_cluster.main.name
}

output "cluster_arn" {
  value = aws_ecs_cluster.main.arn
}

output "vpc_id" {
  value = aws_vpc.main.id
}

output "private_subnet_ids" {
  value = [for s in aws_subnet.private : s.id]
}

output "capacity_provider_name" {
  value = aws_ecs_capacity_provider.ec2.name
}

output "service_connect_namespace" {
  value = aws_service_discovery_http_namespace.main.arn
}
