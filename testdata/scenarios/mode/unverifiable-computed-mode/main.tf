# Platform settings live in a terraform_data resource so that changing them replaces the
# task definition (replace_triggered_by). Its output is known only after apply.
resource "terraform_data" "platform" {
  input = {
    network_mode = var.network_mode
    cpu          = "512"
    memory       = "1024"
  }
}

resource "aws_ecs_task_definition" "billing" {
  family                   = "billing"
  network_mode             = terraform_data.platform.output.network_mode
  cpu                      = terraform_data.platform.output.cpu
  memory                   = terraform_data.platform.output.memory
  requires_compatibilities = ["EC2"]

  container_definitions = jsonencode([
    {
      name         = "billing"
      image        = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/billing:${var.image_tag}"
      essential    = true
      portMappings = [{ containerPort = 8443, protocol = "tcp" }]
    }
  ])

  lifecycle {
    replace_triggered_by = [terraform_data.platform]
  }
}
