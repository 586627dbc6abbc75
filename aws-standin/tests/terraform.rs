//! Real Terraform plans and applies through the stand-in: a tiny ECS configuration is
//! initialised from a filesystem mirror holding this crate's binary under both versions,
//! planned, shown as JSON, applied and planned again. Skipped (with a SKIPPED note) when
//! `terraform` is not on PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

/// Uncaptured `eprintln!` for the one line a skipping test prints (cargo captures what a
/// passing test prints through `eprintln!`, not writes to the process's stderr itself).
macro_rules! skip_note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "SKIPPED: {}", format_args!($($arg)*));
    }};
}

const VERSIONS: [&str; 2] = ["5.100.0", "6.47.0"];

fn terraform_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("terraform"))
        .find(|p| p.is_file())
}

/// A mirror with the stand-in as both versions, and a CLI configuration using only it.
fn mirror(home: &Path) -> PathBuf {
    let provider = Path::new(env!("CARGO_BIN_EXE_terraform-provider-aws"));
    for v in VERSIONS {
        let dir = home.join(format!(
            "mirror/registry.terraform.io/hashicorp/aws/{v}/linux_amd64"
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(provider, dir.join(format!("terraform-provider-aws_v{v}"))).unwrap();
    }
    let rc = home.join("terraform.tfrc");
    let config = format!(
        "disable_checkpoint = true\nprovider_installation {{\n  filesystem_mirror {{\n    path    = {:?}\n    include = [\"registry.terraform.io/hashicorp/aws\"]\n  }}\n}}\n",
        home.join("mirror").to_str().unwrap()
    );
    std::fs::write(&rc, config).unwrap();
    rc
}

struct Tf {
    bin: PathBuf,
    rc: PathBuf,
    dir: PathBuf,
}

impl Tf {
    /// Runs terraform; returns (exit code, stdout), failing the test with stderr when the
    /// code is not one of `ok`.
    fn run(&self, args: &[&str], ok: &[i32]) -> (i32, String) {
        let out = Command::new(&self.bin)
            .args(args)
            .current_dir(&self.dir)
            .env("TF_CLI_CONFIG_FILE", &self.rc)
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env_remove("AWS_STANDIN_VERSION")
            .env("AWS_STANDIN_WORLD", self.dir.join("world.json"))
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        assert!(
            ok.contains(&code),
            "terraform {args:?} exited {code}:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (code, String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

fn configuration(version: &str) -> String {
    format!(
        r#"
terraform {{
  required_providers {{
    aws = {{ source = "hashicorp/aws", version = "{version}" }}
  }}
}}
provider "aws" {{
  region = "eu-west-1"
  default_tags {{ tags = {{ Env = "test" }} }}
}}
data "aws_subnets" "private" {{
  filter {{
    name   = "tag:Tier"
    values = ["private"]
  }}
}}
resource "aws_security_group" "svc" {{
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}}
resource "aws_ecs_cluster" "c" {{ name = "demo" }}
resource "aws_ecs_task_definition" "t" {{
  family                = "web"
  network_mode          = "awsvpc"
  container_definitions = jsonencode([{{ name = "web", image = "nginx", memory = 256, portMappings = [{{ containerPort = 80 }}] }}])
}}
resource "aws_lb_target_group" "tg" {{
  name     = "web"
  port     = 80
  protocol = "HTTP"
  vpc_id   = "vpc-0a1b2c3d4e5f60718"
}}
resource "aws_ecs_service" "s" {{
  name            = "web"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = 2
  network_configuration {{
    subnets         = data.aws_subnets.private.ids
    security_groups = [aws_security_group.svc.id]
  }}
  load_balancer {{
    target_group_arn = aws_lb_target_group.tg.arn
    container_name   = "web"
    container_port   = 80
  }}
}}
"#
    )
}

const WORLD: &str = r#"{
  "availability_zones": ["eu-west-1a", "eu-west-1b"],
  "vpcs": [{ "id": "vpc-0a1b2c3d4e5f60718", "cidr_block": "10.20.0.0/16" }],
  "subnets": [
    { "id": "subnet-0a1b2c3d4e5f60001", "vpc_id": "vpc-0a1b2c3d4e5f60718", "cidr_block": "10.20.1.0/24",
      "availability_zone": "eu-west-1a", "tags": { "Tier": "private" } },
    { "id": "subnet-0a1b2c3d4e5f60002", "vpc_id": "vpc-0a1b2c3d4e5f60718", "cidr_block": "10.20.2.0/24",
      "availability_zone": "eu-west-1b", "tags": { "Tier": "private" } },
    { "id": "subnet-0a1b2c3d4e5f60003", "vpc_id": "vpc-0a1b2c3d4e5f60718", "cidr_block": "10.20.3.0/24",
      "availability_zone": "eu-west-1a", "tags": { "Tier": "public" } }
  ]
}"#;

fn change<'a>(plan: &'a Json, address: &str) -> &'a Json {
    plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rc| rc["address"] == address)
        .map(|rc| &rc["change"])
        .unwrap_or_else(|| panic!("no {address} in the plan"))
}

#[test]
fn terraform_plans_and_applies_through_the_stand_in() {
    let Some(bin) = terraform_on_path() else {
        skip_note!("real Terraform through the aws stand-in not tested: terraform is not on PATH");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let rc = mirror(home.path());
    for version in VERSIONS {
        let dir = home.path().join(format!("work-{version}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main.tf"), configuration(version)).unwrap();
        std::fs::write(dir.join("world.json"), WORLD).unwrap();
        let tf = Tf {
            bin: bin.clone(),
            rc: rc.clone(),
            dir,
        };

        tf.run(&["init", "-input=false", "-no-color"], &[0]);
        tf.run(
            &["plan", "-input=false", "-no-color", "-out", "tfplan"],
            &[0],
        );
        let (_, json) = tf.run(&["show", "-json", "tfplan"], &[0]);
        let plan: Json = serde_json::from_str(&json).unwrap();

        let svc = change(&plan, "aws_ecs_service.s");
        let (after, unknown) = (&svc["after"], &svc["after_unknown"]);
        assert_eq!(after["deployment_maximum_percent"], 200, "{version}");
        assert_eq!(
            after["deployment_minimum_healthy_percent"], 100,
            "{version}"
        );
        assert_eq!(after["scheduling_strategy"], "REPLICA", "{version}");
        assert_eq!(
            after["tags_all"],
            serde_json::json!({"Env": "test"}),
            "{version}"
        );
        for attr in ["launch_type", "iam_role", "platform_version", "id"] {
            assert_eq!(unknown[attr], true, "{version}: {attr}");
        }
        assert_eq!(
            unknown["deployment_configuration"] == true,
            version.starts_with('6'),
            "{version}"
        );
        assert_eq!(
            after["region"] == "eu-west-1",
            version.starts_with('6'),
            "{version}: region"
        );
        let net = &after["network_configuration"][0];
        assert_eq!(
            net["subnets"],
            serde_json::json!(["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]),
            "{version}: data.aws_subnets from world.json"
        );
        assert_eq!(
            unknown["network_configuration"][0]["security_groups"], true,
            "{version}: set with an unknown element"
        );

        let tg = change(&plan, "aws_lb_target_group.tg");
        assert_eq!(tg["after"]["target_type"], "instance", "{version}");
        let td = change(&plan, "aws_ecs_task_definition.t");
        assert_eq!(td["after_unknown"]["revision"], true, "{version}");

        tf.run(
            &[
                "apply",
                "-input=false",
                "-no-color",
                "-auto-approve",
                "tfplan",
            ],
            &[0],
        );
        // After apply nothing changes: -detailed-exitcode answers 0 for an empty plan.
        tf.run(
            &["plan", "-input=false", "-no-color", "-detailed-exitcode"],
            &[0],
        );
        let (_, json) = tf.run(&["show", "-json"], &[0]);
        let state: Json = serde_json::from_str(&json).unwrap();
        let resources = state["values"]["root_module"]["resources"]
            .as_array()
            .unwrap();
        let td = resources
            .iter()
            .find(|r| r["address"] == "aws_ecs_task_definition.t")
            .unwrap();
        assert_eq!(
            td["values"]["arn"], "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1",
            "{version}"
        );

        // An update plan: a new image replaces the task definition, the service updates.
        let main = std::fs::read_to_string(tf.dir.join("main.tf"))
            .unwrap()
            .replace("image = \"nginx\"", "image = \"nginx:2\"");
        std::fs::write(tf.dir.join("main.tf"), main).unwrap();
        tf.run(
            &["plan", "-input=false", "-no-color", "-out", "tfplan2"],
            &[0],
        );
        let (_, json) = tf.run(&["show", "-json", "tfplan2"], &[0]);
        let plan: Json = serde_json::from_str(&json).unwrap();
        let td = change(&plan, "aws_ecs_task_definition.t");
        assert_eq!(
            td["actions"],
            serde_json::json!(["delete", "create"]),
            "{version}"
        );
        let replace_paths = plan["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|rc| rc["address"] == "aws_ecs_task_definition.t")
            .map(|rc| rc["change"]["replace_paths"].clone())
            .unwrap();
        assert_eq!(
            replace_paths,
            serde_json::json!([["container_definitions"]]),
            "{version}"
        );
        assert_eq!(
            change(&plan, "aws_ecs_service.s")["actions"],
            serde_json::json!(["update"]),
            "{version}"
        );
    }
}
