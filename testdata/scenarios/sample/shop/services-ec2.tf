data "aws_caller_identity" "current" {}

locals {
  registry  = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${var.region}.amazonaws.com"
  image_tag = "2026.11.3"

  log_configuration = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = "/ecs/${var.name}"
      awslogs-region        = var.region
      awslogs-stream-prefix = "ec2"
    }
  }

  # EC2 task definitions: network mode, container port, static host port (bridge only).
  ec2_tasks = {
    catalog    = { mode = "awsvpc", port = 8080, host_port = null, memory = 512 }
    search     = { mode = "awsvpc", port = 9200, host_port = null, memory = 2048 }
    storefront = { mode = "bridge", port = 8080, host_port = 8080, memory = 512 }
    promo      = { mode = "bridge", port = 8080, host_port = 8080, memory = 256 }
    api        = { mode = "bridge", port = 8080, host_port = 0, memory = 768 }
    admin      = { mode = "bridge", port = 8000, host_port = 0, memory = 256 }
  }

  ec2_strategy = {
    capacity_provider = aws_ecs_capacity_provider.ec2.name
    weight            = 1
  }
}

resource "aws_ecs_task_definition" "ec2" {
  for_each = local.ec2_tasks

  family                   = "${var.name}-${each.key}"
  network_mode             = each.value.mode
  requires_compatibilities = ["EC2"]

  container_definitions = jsonencode([{
    name              = each.key
    image             = "${local.registry}/${var.name}/${each.key}:${local.image_tag}"
    essential         = true
    memoryReservation = each.value.memory
    portMappings = [merge(
      { containerPort = each.value.port, protocol = "tcp" },
      each.value.host_port == null ? {} : { hostPort = each.value.host_port },
    )]
    logConfiguration = local.log_configuration
  }])
}

# awsvpc services on the EC2 capacity provider.
resource "aws_ecs_service" "catalog" {
  name            = "catalog"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.ec2["catalog"].arn
  desired_count   = var.catalog_replicas

  capacity_provider_strategy {
    capacity_provider = local.ec2_strategy.capacity_provider
    weight            = local.ec2_strategy.weight
  }

  network_configuration {
    subnets         = module.vpc.private_subnets
    security_groups = [data.aws_security_group.tasks.id]
  }

  depends_on = [aws_ecs_cluster_capacity_providers.shop]
}

resource "aws_ecs_service" "search" {
  name            = "search"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.ec2["search"].arn
  desired_count   = 2

  capacity_provider_strategy {
    capacity_provider = local.ec2_strategy.capacity_provider
    weight            = local.ec2_strategy.weight
  }

  network_configuration {
    subnets         = module.vpc.private_subnets
    security_groups = [data.aws_security_group.tasks.id]
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.search.arn
    container_name   = "search"
    container_port   = 9200
  }

  depends_on = [aws_ecs_cluster_capacity_providers.shop, aws_lb_listener_rule.ec2]
}

# bridge services: storefront and promo share the static host port 8080.
resource "aws_ecs_service" "storefront" {
  name            = "storefront"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.ec2["storefront"].arn
  desired_count   = 4

  capacity_provider_strategy {
    capacity_provider = local.ec2_strategy.capacity_provider
    weight            = local.ec2_strategy.weight
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.storefront.arn
    container_name   = "storefront"
    container_port   = 8080
  }

  depends_on = [aws_ecs_cluster_capacity_providers.shop, aws_lb_listener_rule.ec2]
}

resource "aws_ecs_service" "promo" {
  name            = "promo"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.ec2["promo"].arn
  desired_count   = 2

  capacity_provider_strategy {
    capacity_provider = local.ec2_strategy.capacity_provider
    weight            = local.ec2_strategy.weight
  }

  depends_on = [aws_ecs_cluster_capacity_providers.shop]
}

# bridge services on dynamic host ports behind the ALB.
resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.ec2["api"].arn
  desired_count   = 4

  capacity_provider_strategy {
    capacity_provider = local.ec2_strategy.capacity_provider
    weight            = local.ec2_strategy.weight
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "api"
    container_port   = 8080
  }

  depends_on = [aws_ecs_cluster_capacity_providers.shop, aws_lb_listener_rule.ec2]
}

resource "aws_ecs_service" "admin" {
  name            = "admin"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.ec2["admin"].arn
  desired_count   = 2

  capacity_provider_strategy {
    capacity_provider = local.ec2_strategy.capacity_provider
    weight            = local.ec2_strategy.weight
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.admin.arn
    container_name   = "admin"
    container_port   = 8000
  }

  depends_on = [aws_ecs_cluster_capacity_providers.shop, aws_lb_listener_rule.ec2]
}
