variable "desired_count" {
  type = number
}

variable "ssh_host_port" {
  description = "Host port for git over SSH; users clone from git.example.com:22."
  type        = number
  default     = 22
}

resource "aws_ecr_repository" "gitea" {
  name = "gitea"
}

resource "aws_cloudwatch_log_group" "gitea" {
  name = "/ecs/gitea"
}

resource "aws_ecs_cluster" "tools" {
  name = "tools"
}

resource "aws_ecs_task_definition" "gitea" {
  family       = "gitea"
  network_mode = "bridge"

  container_definitions = templatefile("${path.module}/templates/containers.json.tftpl", {
    image         = "${aws_ecr_repository.gitea.repository_url}:1.22"
    ssh_host_port = var.ssh_host_port
    log_group     = aws_cloudwatch_log_group.gitea.name
    region        = "us-west-2"
  })
}

resource "aws_ecs_service" "gitea" {
  name            = "gitea"
  cluster         = aws_ecs_cluster.tools.id
  task_definition = aws_ecs_task_definition.gitea.arn
  desired_count   = var.desired_count
  launch_type     = "EC2"
}
