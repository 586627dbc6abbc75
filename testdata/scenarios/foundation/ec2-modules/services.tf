locals {
  services = {
    api = {
      network_mode            = "awsvpc"
      port                    = 8080
      desired_count           = 6
      minimum_healthy_percent = 100
      cpu                     = 512
      memory                  = 1024
      health_check            = { path = "/health", port = "traffic-port" }
      listener_priority       = 10
      discovery               = true
      containers = [
        {
          name      = "api"
          image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2"
          essential = true
          portMappings = [
            { name = "http", containerPort = 8080, hostPort = 8080, protocol = "tcp", appProtocol = "http" }
          ]
          environment = [{ name = "PORT", value = "8080" }]
        },
        {
          name      = "envoy"
          image     = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod"
          essential = true
          portMappings = [
            { containerPort = 9901, hostPort = 9901, protocol = "tcp" }
          ]
        },
      ]
    }
    # No network_mode: the worker runs in the default mode (bridge on Linux) with a
    # dynamic host port, behind an instance target group.
    worker = {
      network_mode            = null
      port                    = 9000
      desired_count           = 4
      minimum_healthy_percent = 50
      cpu                     = 256
      memory                  = 512
      health_check            = { path = "/ping", port = "9001" }
      listener_priority       = 20
      discovery               = false
      containers = [
        {
          name      = "worker"
          image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/worker:2.0.0"
          essential = true
          portMappings = [
            { containerPort = 9000, hostPort = 0, protocol = "tcp" },
            { containerPort = 9001, protocol = "tcp" },
          ]
          environment = [{ name = "DB_PASSWORD", value = var.db_password }]
        },
      ]
    }
  }
}

resource "aws_service_discovery_private_dns_namespace" "internal" {
  name = "${var.environment}.internal"
  vpc  = module.network.vpc_id
}

resource "aws_service_discovery_service" "api" {
  name = "api"

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.internal.id
    routing_policy = "MULTIVALUE"

    dns_records {
      ttl  = 10
      type = "A"
    }
    dns_records {
      ttl  = 10
      type = "SRV"
    }
  }
}

resource "aws_security_group" "alb" {
  name   = "${var.environment}-internal-alb"
  vpc_id = module.network.vpc_id

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.20.0.0/16"]
  }
}

resource "aws_lb" "internal" {
  name               = "${var.environment}-internal"
  internal           = true
  load_balancer_type = "application"
  subnets            = module.network.private_subnet_ids
  security_groups    = [aws_security_group.alb.id]
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.internal.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "no route"
      status_code  = "404"
    }
  }
}

module "service" {
  source   = "./modules/ecs-service"
  for_each = local.services

  name                    = each.key
  environment             = var.environment
  cluster_id              = aws_ecs_cluster.main.id
  capacity_provider       = aws_ecs_capacity_provider.ec2.name
  vpc_id                  = module.network.vpc_id
  subnet_ids              = module.network.private_subnet_ids
  listener_arn            = aws_lb_listener.http.arn
  listener_priority       = each.value.listener_priority
  network_mode            = each.value.network_mode
  container_port          = each.value.port
  desired_count           = each.value.desired_count
  minimum_healthy_percent = each.value.minimum_healthy_percent
  health_check            = each.value.health_check
  service_registries      = each.value.discovery ? [{ registry_arn = aws_service_discovery_service.api.arn }] : []
  cpu                     = each.value.cpu
  memory                  = each.value.memory
  containers              = each.value.containers
}
