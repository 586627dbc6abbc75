module "fargate_service" {
  source   = "./modules/fargate-service"
  for_each = var.fargate_services

  name               = each.key
  cluster_arn        = aws_ecs_cluster.shop.arn
  vpc_id             = module.vpc.vpc_id
  subnet_ids         = module.vpc.private_subnets
  security_group_ids = [data.aws_security_group.tasks.id]
  image              = "${local.registry}/${var.name}/${each.key}:${local.image_tag}"
  port               = each.value.port
  desired_count      = each.value.desired_count
  listener_arn       = aws_lb_listener.https.arn
  path               = each.value.path
  priority           = each.value.priority
  log_group_name     = aws_cloudwatch_log_group.shop.name
}

# Payments stays in its own /26 (59 usable addresses) for PCI scoping.
module "payments" {
  source = "./modules/fargate-service"

  name               = "payments"
  cluster_arn        = aws_ecs_cluster.shop.arn
  vpc_id             = module.vpc.vpc_id
  subnet_ids         = [module.vpc.payments_subnet_id]
  security_group_ids = [data.aws_security_group.tasks.id]
  image              = "${local.registry}/${var.name}/payments:${local.image_tag}"
  port               = 8443
  desired_count      = 36
  listener_arn       = aws_lb_listener.https.arn
  path               = "/pay/*"
  priority           = 30
  log_group_name     = aws_cloudwatch_log_group.shop.name
  cpu                = 1024
  memory             = 2048
}
