# Windows on EC2 with network_mode not written at all.
resource "aws_ecs_task_definition" "legacy_reports" {
  family = "legacy-reports"
  memory = "2048"

  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
  }

  container_definitions = jsonencode([
    {
      name         = "reports"
      image        = "123456789012.dkr.ecr.us-east-1.amazonaws.com/legacy-reports:9.4-ltsc2022"
      essential    = true
      portMappings = [{ containerPort = 80 }]
    }
  ])
}
