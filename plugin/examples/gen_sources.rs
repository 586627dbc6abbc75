//! Writes a synthetic Terraform configuration with N module calls and a matching plan, for
//! the sources benchmark (`scripts/bench_sources.sh`): how much reading the `.tf` files adds
//! to `ecsnet check`.
//!
//! ```text
//! cargo run --release -p ecsnet --example gen_sources -- --calls 200 --dirs 200 --out bench-out/sources
//! ```
//!
//! Shape: the root module calls `module "svc_<i>"` N times, spread over `--dirs` module
//! directories (copies of one community-style service module: variables with optional
//! attributes, locals, a `jsonencode` container definition, `dynamic` network, load
//! balancer and capacity provider blocks, a target group, security group, log group and IAM
//! role). The plan (`plan.json`) holds each call's resources as a create plan writes them:
//! ARNs, ids and the container definitions (whose image comes from an ECR repository) known
//! after apply; only `resource_changes`, not the `planned_values`, `configuration` and
//! `relevant_attributes` of a real plan (`aws-standin`'s `plan_dir` makes that one).

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{json, Value};

struct Args {
    calls: usize,
    dirs: usize,
    out: PathBuf,
}

fn args() -> Args {
    let mut a = Args {
        calls: 200,
        dirs: 200,
        out: PathBuf::from("bench-out/sources"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        let mut num = |name: &str| -> usize {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} N"))
        };
        match x.as_str() {
            "--calls" => a.calls = num("--calls"),
            "--dirs" => a.dirs = num("--dirs").max(1),
            "--out" => a.out = PathBuf::from(it.next().expect("--out DIR")),
            other => {
                eprintln!("gen_sources: unknown argument {other}; usage: gen_sources [--calls N] [--dirs N] [--out DIR]");
                std::process::exit(2);
            }
        }
    }
    a
}

const VERSIONS: &str = r#"terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}
"#;

const MODULE: &str = r#"variable "name" { type = string }
variable "cluster_arn" { type = string }
variable "subnet_ids" { type = list(string) }
variable "vpc_id" { type = string }
variable "image_tag" {
  type    = string
  default = "latest"
}
variable "port" {
  type    = number
  default = 8080
}
variable "desired_count" {
  type    = number
  default = 2
}
variable "settings" {
  type = object({
    cpu              = optional(number, 256)
    memory           = optional(number, 512)
    assign_public_ip = optional(bool, false)
    capacity = optional(map(object({
      weight = number
      base   = optional(number, 0)
    })), { FARGATE = { weight = 1 } })
  })
  default = {}
}

locals {
  container_name = "${var.name}-app"
  environment = [
    for k, v in { PORT = var.port, NAME = var.name, LOG_LEVEL = "info" } : { name = k, value = tostring(v) }
  ]
  container = {
    name         = local.container_name
    image        = "${aws_ecr_repository.this.repository_url}:${var.image_tag}"
    essential    = true
    cpu          = var.settings.cpu
    memory       = var.settings.memory
    portMappings = [{ containerPort = var.port, hostPort = var.port, protocol = "tcp" }]
    environment  = local.environment
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = var.name
      }
    }
  }
  network = [{ subnets = var.subnet_ids, security_groups = [aws_security_group.this.id] }]
}

resource "aws_ecr_repository" "this" {
  name = var.name
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${var.name}"
  retention_in_days = 30
}

resource "aws_iam_role" "task" {
  name = "${var.name}-task"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_security_group" "this" {
  name   = "${var.name}-tasks"
  vpc_id = var.vpc_id

  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_lb_target_group" "this" {
  name        = substr(var.name, 0, 32)
  port        = var.port
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id

  health_check {
    path = "/health"
    port = "traffic-port"
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = var.settings.cpu
  memory                   = var.settings.memory
  task_role_arn            = aws_iam_role.task.arn
  container_definitions    = jsonencode([local.container])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count

  dynamic "capacity_provider_strategy" {
    for_each = var.settings.capacity
    content {
      capacity_provider = capacity_provider_strategy.key
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  dynamic "network_configuration" {
    for_each = local.network
    iterator = net
    content {
      subnets          = net.value.subnets
      security_groups  = net.value.security_groups
      assign_public_ip = var.settings.assign_public_ip
    }
  }

  dynamic "load_balancer" {
    for_each = [aws_lb_target_group.this.arn]
    content {
      target_group_arn = load_balancer.value
      container_name   = local.container_name
      container_port   = var.port
    }
  }
}

output "service_name" {
  value = aws_ecs_service.this.name
}
"#;

fn change(module: &str, type_: &str, name: &str, after: Value, unknown: Value) -> Value {
    json!({
        "address": format!("{module}.{type_}.{name}"),
        "module_address": module,
        "mode": "managed",
        "type": type_,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {
            "actions": ["create"],
            "before": null,
            "after": after,
            "after_unknown": unknown,
            "before_sensitive": false,
            "after_sensitive": {}
        }
    })
}

fn main() {
    let a = args();
    std::fs::create_dir_all(&a.out).expect("create --out");
    let mut root = String::from(
        "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n\nresource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n\nresource \"aws_subnet\" \"private\" {\n  count      = 3\n  vpc_id     = aws_vpc.main.id\n  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 4, count.index)\n}\n\nresource \"aws_ecs_cluster\" \"main\" {\n  name = \"bench\"\n}\n",
    );
    for d in 0..a.dirs {
        let dir = a.out.join(format!("modules/svc{d}"));
        std::fs::create_dir_all(&dir).expect("module dir");
        std::fs::write(dir.join("main.tf"), MODULE).expect("module file");
    }
    let mut changes = vec![
        change(
            "",
            "aws_vpc",
            "main",
            json!({"cidr_block": "10.0.0.0/16"}),
            json!({"id": true, "arn": true}),
        ),
        change(
            "",
            "aws_ecs_cluster",
            "main",
            json!({"name": "bench"}),
            json!({"id": true, "arn": true}),
        ),
    ];
    for c in &mut changes {
        c["address"] = json!(c["address"].as_str().unwrap().trim_start_matches('.'));
        c.as_object_mut().unwrap().remove("module_address");
    }
    for i in 0..3 {
        let mut c = change(
            "",
            "aws_subnet",
            "private",
            json!({"cidr_block": format!("10.0.{}.0/20", i * 16)}),
            json!({"id": true, "vpc_id": true, "availability_zone": true}),
        );
        c["address"] = json!(format!("aws_subnet.private[{i}]"));
        c["index"] = json!(i);
        c.as_object_mut().unwrap().remove("module_address");
        changes.push(c);
    }
    for i in 0..a.calls {
        let name = format!("svc-{i:03}");
        let _ = write!(
            root,
            "\nmodule \"svc_{i}\" {{\n  source        = \"./modules/svc{}\"\n  name          = \"{name}\"\n  cluster_arn   = aws_ecs_cluster.main.arn\n  subnet_ids    = aws_subnet.private[*].id\n  vpc_id        = aws_vpc.main.id\n  port          = {}\n  desired_count = {}\n  settings = {{\n    cpu    = 512\n    memory = 1024\n  }}\n}}\n",
            i % a.dirs,
            8000 + i % 100,
            1 + i % 4
        );
        let m = format!("module.svc_{i}");
        let port = 8000 + i % 100;
        changes.push(change(
            &m,
            "aws_ecr_repository",
            "this",
            json!({"name": name}),
            json!({"arn": true, "repository_url": true}),
        ));
        changes.push(change(
            &m,
            "aws_cloudwatch_log_group",
            "this",
            json!({"name": format!("/ecs/{name}"), "retention_in_days": 30}),
            json!({"arn": true}),
        ));
        changes.push(change(
            &m,
            "aws_iam_role",
            "task",
            json!({"name": format!("{name}-task")}),
            json!({"arn": true, "id": true}),
        ));
        changes.push(change(&m, "aws_security_group", "this", json!({"name": format!("{name}-tasks"), "ingress": [{"from_port": port, "to_port": port, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}]}), json!({"id": true, "vpc_id": true})));
        changes.push(change(&m, "aws_lb_target_group", "this", json!({"name": name, "port": port, "protocol": "HTTP", "target_type": "ip", "health_check": [{"path": "/health", "port": "traffic-port"}]}), json!({"arn": true, "id": true, "vpc_id": true})));
        changes.push(change(&m, "aws_ecs_task_definition", "this", json!({"family": name, "network_mode": "awsvpc", "requires_compatibilities": ["FARGATE"], "cpu": "512", "memory": "1024"}), json!({"arn": true, "container_definitions": true, "task_role_arn": true})));
        changes.push(change(&m, "aws_ecs_service", "this", json!({"name": name, "desired_count": 1 + i % 4, "capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 1, "base": 0}], "network_configuration": [{"assign_public_ip": false}], "load_balancer": [{"container_name": format!("{name}-app"), "container_port": port}]}), json!({"id": true, "cluster": true, "task_definition": true, "network_configuration": [{"subnets": true, "security_groups": true}], "load_balancer": [{"target_group_arn": true}]})));
    }
    std::fs::write(a.out.join("main.tf"), root).expect("main.tf");
    // The provider version the stand-in serves, for `plan_dir` (scripts/bench_sources.sh
    // plans the configuration with real Terraform when it is installed).
    std::fs::write(a.out.join("versions.tf"), VERSIONS).expect("versions.tf");
    let plan = json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "variables": {},
        "resource_changes": changes,
    });
    std::fs::write(a.out.join("plan.json"), plan.to_string()).expect("plan.json");
    eprintln!(
        "gen_sources: {} module calls over {} module directories, {} resources, in {}",
        a.calls,
        a.dirs,
        changes_len(&plan),
        a.out.display()
    );
}

fn changes_len(plan: &Value) -> usize {
    plan["resource_changes"].as_array().map_or(0, Vec::len)
}
