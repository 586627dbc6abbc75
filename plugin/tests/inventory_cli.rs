//! `ecsnet inventory` end to end: the binary on fixtures, snapshots of both formats, and
//! exit code 2 with one clear line on bad input. The plans are the foundation scenarios'
//! (made by real Terraform, see `testdata/scenarios/README.md`).

use std::path::PathBuf;
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Run `ecsnet` from the repository root, so that plan paths in the output are stable.
fn ecsnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecsnet"))
        .args(args)
        .current_dir(repo_root())
        .env_remove("ECSNET_TERRAFORM_BIN")
        .output()
        .expect("run ecsnet")
}

/// The create plan of the EC2 estate built from modules.
const EC2_MODULES: &str = "testdata/scenarios/foundation/ec2-modules/plan.json";

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn text_inventory_snapshot() {
    let o = ecsnet(&["inventory", EC2_MODULES]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("ec2_modules_text", stdout(&o));
}

#[test]
fn json_inventory_snapshot_and_shape() {
    let o = ecsnet(&["inventory", "--format", "json", EC2_MODULES]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for key in [
        "task_definitions",
        "services",
        "clusters",
        "subnets",
        "autoscaling_groups",
        "target_groups",
    ] {
        assert!(v[key].is_array(), "{key} is a top-level array");
        for e in v[key].as_array().unwrap() {
            assert!(e["address"].is_string(), "every {key} entry has an address");
        }
    }
    let api = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["address"] == r#"module.service["api"].aws_ecs_service.this"#)
        .unwrap();
    assert_eq!(
        api["task_definition"]["address"],
        r#"module.service["api"].module.task.aws_ecs_task_definition.this"#
    );
    assert_eq!(api["task_definition"]["resolved_by"], "config_reference");
    assert_eq!(api["cluster"]["address"], "aws_ecs_cluster.main");
    // The module's network_configuration is a dynamic block, which the plan's configuration
    // does not show: on create its subnets are unknown, and the only module call input that
    // names subnets (subnet_ids = module.network.private_subnet_ids) gives the candidates,
    // each shown as only_candidate and not certain.
    let subnets = api["network_configuration"]["subnets"].as_array().unwrap();
    assert_eq!(subnets.len(), 3);
    for (i, s) in subnets.iter().enumerate() {
        assert_eq!(
            s,
            &serde_json::json!({
                "address": format!("module.network.aws_subnet.private[{i}]"),
                "resolved_by": "only_candidate",
                "certain": false
            })
        );
    }
    // The autoscaling group's subnets follow module.network's output to the counted subnets.
    let asg = &v["autoscaling_groups"][0];
    assert_eq!(asg["address"], "aws_autoscaling_group.ecs");
    let subnets = asg["subnets"].as_array().unwrap();
    assert_eq!(subnets.len(), 3);
    assert!(subnets
        .iter()
        .all(|s| s["resolved_by"] == "config_reference"
            && s["address"]
                .as_str()
                .unwrap()
                .starts_with("module.network.aws_subnet.private[")));
    // The sensitive task definition's containers are redacted, never printed.
    assert!(!text.contains("CANARY-SENSITIVE"));
    let worker_td = v["task_definitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["family"] == "prod-worker")
        .unwrap();
    assert_eq!(
        worker_td["containers"],
        serde_json::json!({"sensitive": true})
    );
    insta::assert_snapshot!("ec2_modules_json", text);
}

#[test]
fn sensitive_values_never_reach_the_text_output() {
    let o = ecsnet(&["inventory", EC2_MODULES]);
    let out = stdout(&o);
    assert!(!out.contains("CANARY-SENSITIVE"));
    assert!(out.contains("containers: (sensitive)"), "{out}");
}

#[test]
fn stdin_and_several_plans() {
    let plan =
        std::fs::read(repo_root().join("testdata/scenarios/foundation/fargate-literals/plan.json"))
            .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecsnet"))
        .args([
            "inventory",
            "-",
            "testdata/scenarios/foundation/ec2-userdata/plan.json",
        ])
        .current_dir(repo_root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&plan).unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Plan - ("), "{out}");
    assert!(out.contains("aws_ecs_service.web"), "{out}");
    assert!(
        out.contains("module.ecs[0].aws_ecs_cluster.this[0]"),
        "{out}"
    );
    assert!(out.contains("ECS_CLUSTER in user data"), "{out}");
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("not-a-plan.json");
    std::fs::write(&bad, "{\"format_version\": \"1.2\", \"planned_values\": ").unwrap();
    let cases: Vec<Vec<String>> = vec![
        vec!["inventory".into(), bad.to_string_lossy().into_owned()],
        vec![
            "inventory".into(),
            dir.path()
                .join("missing.json")
                .to_string_lossy()
                .into_owned(),
        ],
        vec!["inventory".into()],
        vec![
            "inventory".into(),
            "--format".into(),
            "yaml".into(),
            EC2_MODULES.into(),
        ],
    ];
    for args in cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = ecsnet(&a);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?} prints nothing on stdout");
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    let o = ecsnet(&["inventory", &bad.to_string_lossy()]);
    let err = stderr(&o);
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
}

#[test]
fn help_has_an_example() {
    let o = ecsnet(&["inventory", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("Examples:"), "{out}");
    assert!(out.contains("ecsnet inventory plan.json"), "{out}");
    assert!(out.contains("--format"), "{out}");
}

#[test]
fn config_assumptions_add_capacity_and_bad_config_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("ecsnet.hcl");
    std::fs::write(
        &cfg,
        "assume {\n  cluster \"ops\" {\n    instance_type = \"m5.large\"\n    max_instances = 4\n  }\n}\n",
    )
    .unwrap();
    let plan = "testdata/scenarios/foundation/fargate-literals/plan.json";
    let without = stdout(&ecsnet(&["inventory", plan]));
    assert!(!without.contains("assume cluster` block\n"), "{without}");
    let o = ecsnet(&["inventory", plan, "--config", &cfg.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("capacity: from the `assume cluster` block"),
        "{out}"
    );
    let o = ecsnet(&[
        "inventory",
        plan,
        "--config",
        &cfg.to_string_lossy(),
        "-f",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ops = v["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["address"] == "aws_ecs_cluster.ops")
        .unwrap();
    assert_eq!(ops["capacity"][0]["kind"], "assumed");
    assert_eq!(ops["capacity"][0]["via"], "assumption");

    std::fs::write(&cfg, "assume { cluster \"ops\" { instance_type = 3 } }\n").unwrap();
    let o = ecsnet(&["inventory", plan, "--config", &cfg.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}
