//! `plan_dir`: a configuration that is not a scenario planned by real Terraform through the
//! stand-in, the plan written where asked and the configuration left as it was; bad usage
//! is one line and exit 2.

use std::path::Path;
use std::process::Command;

use aws_standin::scenarios::TERRAFORM_VERSION;

#[path = "support/terraform.rs"]
mod support;

fn plan_dir() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plan_dir"));
    cmd.arg("--provider")
        .arg(env!("CARGO_BIN_EXE_terraform-provider-aws"));
    cmd
}

const CONFIG: &str = r#"
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

module "app" {
  source = "./modules/app"
  name   = "web"
}
"#;

const MODULE: &str = r#"
variable "name" { type = string }

resource "aws_ecs_cluster" "this" {
  name = var.name
}
"#;

#[test]
fn a_configuration_is_planned_as_real_terraform_plans_it() {
    let Some(_terraform) = support::terraform_or_skip("plan_dir not run") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("modules/app")).unwrap();
    std::fs::write(config.join("main.tf"), CONFIG).unwrap();
    std::fs::write(config.join("modules/app/main.tf"), MODULE).unwrap();
    let out = dir.path().join("plan.json");

    let run = plan_dir()
        .arg(&config)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let plan: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(plan["terraform_version"], TERRAFORM_VERSION);
    let changes = plan["resource_changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["address"], "module.app.aws_ecs_cluster.this");
    assert_eq!(changes[0]["change"]["after"]["name"], "web");
    // What a generated plan lacks and a real one has.
    assert!(plan["planned_values"].is_object());
    assert_eq!(
        plan["configuration"]["root_module"]["module_calls"]["app"]["source"],
        "./modules/app"
    );
    // Planned in a copy: no .terraform, lock file or plan left in the configuration.
    let mut left: Vec<String> = std::fs::read_dir(&config)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["main.tf", "modules"]);
}

#[test]
fn bad_usage_is_one_line_and_exit_2() {
    for args in [
        &[][..],
        &["dir"][..],
        &["--out"][..],
        &["a", "b", "--out", "p"][..],
    ] {
        let run = plan_dir().args(args).output().unwrap();
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("plan_dir: "), "{err}");
    }
    let missing = Path::new("/nonexistent/ecsnet-config");
    let run = plan_dir()
        .arg(missing)
        .args(["--out", "/nonexistent/plan.json"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
}
