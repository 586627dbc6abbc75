resource "aws_lb" "shop" {
  name               = var.name
  load_balancer_type = "application"
  subnets            = module.vpc.public_subnets
  security_groups    = [aws_security_group.alb.id]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.shop.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/6f0e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b"

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}

# EC2-backed services: one target group each, routed by path.
locals {
  ec2_routes = {
    search     = { port = 9200, path = "/search/*", priority = 100 }
    storefront = { port = 8080, path = "/*", priority = 900 }
    api        = { port = 8080, path = "/api/*", priority = 110 }
    admin      = { port = 8000, path = "/admin/*", priority = 120 }
  }
}

# The search service runs in awsvpc mode; its target group was copied from the bridge ones.
resource "aws_lb_target_group" "search" {
  name     = "${var.name}-search"
  port     = local.ec2_routes.search.port
  protocol = "HTTP"
  vpc_id   = module.vpc.vpc_id

  health_check {
    path = "/_cluster/health"
  }
}

resource "aws_lb_target_group" "storefront" {
  name     = "${var.name}-storefront"
  port     = local.ec2_routes.storefront.port
  protocol = "HTTP"
  vpc_id   = module.vpc.vpc_id

  health_check {
    path = "/health"
  }
}

# The api's management server answers health checks on 8081.
resource "aws_lb_target_group" "api" {
  name     = "${var.name}-api"
  port     = local.ec2_routes.api.port
  protocol = "HTTP"
  vpc_id   = module.vpc.vpc_id

  health_check {
    path = "/actuator/health"
    port = "8081"
  }
}

resource "aws_lb_target_group" "admin" {
  name     = "${var.name}-admin"
  port     = local.ec2_routes.admin.port
  protocol = "HTTP"
  vpc_id   = module.vpc.vpc_id

  health_check {
    path = "/health"
  }
}

locals {
  ec2_target_groups = {
    search     = aws_lb_target_group.search.arn
    storefront = aws_lb_target_group.storefront.arn
    api        = aws_lb_target_group.api.arn
    admin      = aws_lb_target_group.admin.arn
  }
}

resource "aws_lb_listener_rule" "ec2" {
  for_each     = local.ec2_routes
  listener_arn = aws_lb_listener.https.arn
  priority     = each.value.priority

  action {
    type             = "forward"
    target_group_arn = local.ec2_target_groups[each.key]
  }

  condition {
    path_pattern {
      values = [each.value.path]
    }
  }
}
