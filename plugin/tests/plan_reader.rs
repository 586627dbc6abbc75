//! Plan reader against real inputs: the corpus of real plans in `../shared/realplans`
//! (skipped with a message when absent) and a binary plan made by the local terraform
//! (skipped with a message when terraform is not installed).

#[macro_use]
#[path = "support/skip.rs"]
mod skip;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use ecsnet::plan::{self, AttrRef, LoadOptions, Mode, Plan};

fn realplans() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/realplans");
    if dir.is_dir() {
        Some(dir)
    } else {
        skip_note!("{} is absent (the shared real-plan corpus)", dir.display());
        None
    }
}

fn plan_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    v.sort();
    v
}

fn load(p: &Path) -> Plan {
    plan::load(p.to_str().unwrap(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn every_real_plan_is_read() {
    let Some(dir) = realplans() else { return };
    let files = plan_files(&dir);
    assert!(files.len() >= 29, "corpus has {} files", files.len());
    for f in files {
        let p = load(&f);
        assert!(p.resource_count >= p.resources.len(), "{}", f.display());
        for r in &p.resources {
            assert!(plan::is_interesting(&r.type_));
            assert!(p.resource(&r.address).is_some());
            assert!(r.address.starts_with(&r.module_address));
        }
    }
}

/// "ECS-related types (instances)" of SOURCES.md's summary table, per file.
fn expected_counts(dir: &Path) -> BTreeMap<String, BTreeMap<String, usize>> {
    let text = std::fs::read_to_string(dir.join("SOURCES.md")).unwrap();
    let mut out = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(".json`"))
    {
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        let file = cols[2].trim_matches('`').to_string();
        let mut counts = BTreeMap::new();
        for item in cols[7].split(", ") {
            // "`aws_subnet` ×6 (in `prior_state` only)"; "(configuration block only; no
            // instance read)" means there is none in the planned world.
            let Some((ty, rest)) = item.trim_start_matches('`').split_once("` ×") else {
                continue;
            };
            if rest.contains("configuration block only") {
                continue;
            }
            let n: usize = rest.split_whitespace().next().unwrap().parse().unwrap();
            counts.insert(ty.to_string(), n);
        }
        out.insert(file, counts);
    }
    out
}

const ECS_RELATED: &[&str] = &[
    "aws_ecs_task_definition",
    "aws_ecs_service",
    "aws_ecs_cluster",
    "aws_ecs_capacity_provider",
    "aws_ecs_cluster_capacity_providers",
    "aws_autoscaling_group",
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_instance",
    "aws_subnet",
    "aws_vpc",
    "aws_lb_target_group",
    "aws_ecs_account_setting_default",
];

#[test]
fn ecs_related_counts_agree_with_sources() {
    let Some(dir) = realplans() else { return };
    let expected = expected_counts(&dir);
    assert!(
        expected.len() >= 29,
        "parsed {} rows of SOURCES.md",
        expected.len()
    );
    for (file, want) in expected {
        let p = load(&dir.join(&file));
        let mut got: BTreeMap<String, usize> = BTreeMap::new();
        for r in p
            .resources
            .iter()
            .filter(|r| ECS_RELATED.contains(&r.type_.as_str()))
        {
            let key = match r.mode {
                Mode::Data => format!("data.{}", r.type_),
                Mode::Managed => r.type_.clone(),
            };
            *got.entry(key).or_default() += 1;
        }
        assert_eq!(got, want, "{file}");
    }
}

/// Every string leaf below `r`, with the attribute reference that reaches it.
fn leaves<'a>(r: AttrRef<'a>, path: String, out: &mut Vec<(String, AttrRef<'a>, String)>) {
    match r.raw().get() {
        Some(serde_json::Value::Object(o)) => {
            for k in o.keys() {
                leaves(r.get(k), format!("{path}.{k}"), out);
            }
        }
        Some(serde_json::Value::Array(a)) => {
            for i in 0..a.len() {
                leaves(r.at(i), format!("{path}.{i}"), out);
            }
        }
        Some(serde_json::Value::String(s)) => out.push((path, r, s.clone())),
        _ => {}
    }
}

#[test]
fn canary_secrets_are_marked_sensitive() {
    let Some(dir) = realplans() else { return };
    let mut found = 0;
    for f in plan_files(&dir) {
        let p = load(&f);
        for (name, v) in &p.variables {
            if v.value.to_string().contains("CANARY-SENSITIVE") {
                found += 1;
                assert!(v.sensitive, "{}: variable {name}", f.display());
                assert_eq!(v.field().show(), "(sensitive)");
            }
        }
        for r in &p.resources {
            let mut out = Vec::new();
            leaves(r.values.root(), r.address.clone(), &mut out);
            for (path, attr, s) in out {
                if s.contains("CANARY-SENSITIVE") {
                    found += 1;
                    assert!(attr.is_sensitive(), "{}: {path}", f.display());
                    assert_eq!(attr.string().show(), "(sensitive)");
                }
            }
        }
    }
    // The variables of two plans, and their values inside kept resources if any.
    assert!(found >= 6, "found {found} canaries");
}

#[test]
fn utf16_plans_match_their_utf8_content() {
    let Some(dir) = realplans() else { return };
    let f = dir.join("maromshriki__marom-stream__terraform-plan.json");
    let bytes = std::fs::read(&f).unwrap();
    assert_eq!(
        &bytes[..2],
        b"\xFF\xFE",
        "the corpus file is UTF-16 LE with BOM"
    );
    let p = load(&f);
    assert!(p.resources_of_type("aws_launch_template").count() == 2);
    // Same content re-encoded as UTF-8 (in memory only) reads identically.
    let text = String::from_utf16(
        &bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let q = plan::parse_bytes(text.as_bytes(), "utf8", &LoadOptions::default()).unwrap();
    assert_eq!(p.resource_count, q.resource_count);
    assert_eq!(p.resources, q.resources);
}

#[test]
fn real_module_references_are_followed() {
    let Some(dir) = realplans() else { return };
    // netlightin: two services in module.ecs whose cluster comes from a resource in the
    // same module; follow whatever the configuration says and check the targets exist in
    // the plan's world or name resources in it.
    let p = load(&dir.join("netlightin__sagemaker-whisper__terraform-plan.json"));
    let services: Vec<_> = p.resources_of_type("aws_ecs_service").collect();
    assert_eq!(services.len(), 2);
    for s in services {
        let t = p.resolve_references(s, "cluster");
        assert!(
            !t.is_empty(),
            "{}: cluster reference not followed",
            s.address
        );
        for target in &t {
            assert!(p.resource(&target.address).is_some(), "{target:?}");
            assert_eq!(
                p.resource(&target.address).unwrap().type_,
                "aws_ecs_cluster"
            );
        }
        let td = p.resolve_references(s, "task_definition");
        assert!(
            td.iter().any(|t| p
                .resource(&t.address)
                .is_some_and(|r| r.type_ == "aws_ecs_task_definition")),
            "{}: {td:?}",
            s.address
        );
    }
}

// ---- binary plan through terraform ---------------------------------------------------------

fn terraform() -> Option<PathBuf> {
    let from_env = std::env::var_os("ECSNET_TERRAFORM_BIN").map(PathBuf::from);
    let found = from_env.or_else(|| {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|d| d.join("terraform"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        skip_note!("terraform is not installed (needed to make a binary plan)");
    }
    found
}

fn run(dir: &Path, bin: &Path, args: &[&str]) {
    let out = Command::new(bin)
        .args(args)
        .current_dir(dir)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_CLI_CONFIG_FILE", dir.join("empty.tfrc"))
        .env("TF_IN_AUTOMATION", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "terraform {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn binary_plan_is_converted_with_terraform() {
    let Some(bin) = terraform() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.tfrc"), "").unwrap();
    // `terraform_data` is built in: init and plan work offline.
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
variable "secret" {
  type      = string
  sensitive = true
  default   = "CANARY-SENSITIVE-binary-plan"
}
variable "names" {
  type    = set(string)
  default = ["blue", "green"]
}
resource "terraform_data" "a" {
  for_each = var.names
  input    = { name = each.key }
}
resource "terraform_data" "b" {
  input = var.secret
}
"#,
    )
    .unwrap();
    run(dir.path(), &bin, &["init", "-input=false", "-no-color"]);
    run(
        dir.path(),
        &bin,
        &["plan", "-input=false", "-no-color", "-out=tfplan"],
    );
    let tfplan = dir.path().join("tfplan");
    assert_eq!(
        &std::fs::read(&tfplan).unwrap()[..2],
        b"PK",
        "a binary plan is a zip"
    );

    let opts = LoadOptions {
        terraform_bin: Some(bin.clone()),
        ..LoadOptions::default()
    };
    let p = plan::load(tfplan.to_str().unwrap(), &opts).unwrap();
    assert_eq!(p.resource_count, 3);
    assert_eq!(p.format_version.as_deref(), Some("1.2"));
    assert!(p.variables["secret"].sensitive);
    assert!(p.config.root.resources["terraform_data.a"]
        .for_each
        .is_some());

    // Bytes of a binary plan (as the gRPC server gets them) go through a temporary file.
    let bytes = std::fs::read(&tfplan).unwrap();
    let q = plan::parse_bytes(&bytes, "tfplan", &opts).unwrap();
    assert_eq!(q.resource_count, 3);

    // A terraform that cannot read it: a clear error naming the command.
    let junk = dir.path().join("junk.zip");
    std::fs::write(&junk, b"PK\x03\x04 not really a zip").unwrap();
    let e = plan::load(junk.to_str().unwrap(), &opts)
        .unwrap_err()
        .message;
    assert!(
        e.contains("show -json") && e.contains("failed") && !e.contains('\n'),
        "{e}"
    );
}
