# Kept at zero tasks until its removal (update/ deletes this file).
resource "aws_ecs_service" "retired" {
  name            = "retired"
  cluster         = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod-core"
  task_definition = "legacy-web:1"
  desired_count   = 0
  launch_type     = "EC2"

  network_configuration {
    subnets         = ["subnet-0a1b2c3d4e5f60001"]
    security_groups = ["sg-0123456789abcdef0"]
  }
}
