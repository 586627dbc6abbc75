//! ecsnet as a Terraform provider, in real Terraform, offline: the freshly built binary is
//! laid out in a filesystem mirror by `scripts/tf-mirror.sh` (what `make tf-mirror` runs),
//! `terraform init` installs it from there, and `terraform plan` calls every function in
//! outputs, preconditions, postconditions, variable validations and check blocks. Skips
//! with a SKIPPED line when `terraform` is not on PATH.

#[macro_use]
#[path = "support/skip.rs"]
mod skip;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;

const SOURCE: &str = "registry.terraform.io/ecsnet/ecsnet";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn terraform() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let found = std::env::split_paths(&path)
        .map(|d| d.join("terraform"))
        .find(|p| p.is_file());
    if found.is_none() {
        skip_note!("the Terraform provider tests: `terraform` is not on PATH");
    }
    found
}

/// The aws stand-in of this workspace, when built (`make test` builds every binary first).
fn aws_standin() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_BIN_EXE_ecsnet")).with_file_name("terraform-provider-aws");
    p.is_file().then_some(p)
}

/// The filesystem mirror, made once per run by the documented step (in the target directory:
/// the binaries are large, so every test shares one copy).
fn mirror() -> &'static Path {
    static MIRROR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    MIRROR.get_or_init(|| {
        let mirror = Path::new(env!("CARGO_TARGET_TMPDIR")).join("terraform-provider-mirror");
        let _ = std::fs::remove_dir_all(&mirror);
        let out = Command::new("sh")
            .arg(repo_root().join("scripts/tf-mirror.sh"))
            .arg(env!("CARGO_BIN_EXE_ecsnet"))
            .arg(&mirror)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let installed = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(
            installed.ends_with(&format!(
                "ecsnet/ecsnet/{v}/linux_amd64/terraform-provider-ecsnet_v{v}",
                v = env!("CARGO_PKG_VERSION")
            )) || !cfg!(all(target_os = "linux", target_arch = "x86_64")),
            "{installed}"
        );
        mirror
    })
}

/// The aws stand-in in the mirror, once.
fn standin_mirrored(mirror: &Path) {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(|| {
        let dir = mirror.join("registry.terraform.io/hashicorp/aws/6.47.0/linux_amd64");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(
            aws_standin().unwrap(),
            dir.join("terraform-provider-aws_v6.47.0"),
        )
        .unwrap();
    });
}

/// A working directory with its own CLI configuration, nothing but the mirror reachable.
struct Tf {
    bin: PathBuf,
    home: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    /// stderr, with Terraform's line wrapping undone (it wraps messages at 78 columns).
    stderr: String,
}

impl Tf {
    fn new(bin: PathBuf, with_aws: bool) -> Tf {
        let home = tempfile::tempdir().unwrap();
        let mirror = mirror();
        let mut include = vec![format!("{SOURCE:?}")];
        if with_aws {
            standin_mirrored(mirror);
            include.push("\"registry.terraform.io/hashicorp/aws\"".into());
        }
        std::fs::write(
            home.path().join("terraform.tfrc"),
            format!(
                "disable_checkpoint = true\nprovider_installation {{\n  filesystem_mirror {{\n    path    = {:?}\n    include = [{}]\n  }}\n}}\n",
                mirror.to_str().unwrap(),
                include.join(", ")
            ),
        )
        .unwrap();
        std::fs::create_dir(home.path().join("work")).unwrap();
        Tf { bin, home }
    }

    fn dir(&self) -> PathBuf {
        self.home.path().join("work")
    }

    fn write(&self, name: &str, text: &str) {
        let p = self.dir().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(&self.bin)
            .args(args)
            .arg("-no-color")
            .current_dir(self.dir())
            .env(
                "TF_CLI_CONFIG_FILE",
                self.home.path().join("terraform.tfrc"),
            )
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_IN_AUTOMATION", "1")
            .env_remove("TF_LOG")
            .env_remove("AWS_STANDIN_WORLD")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr)
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr,
        }
    }

    fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(r.code, 0, "terraform {args:?}:\n{}\n{}", r.stdout, r.stderr);
        r.stdout
    }

    fn init(&self) {
        let out = self.ok(&["init", "-input=false"]);
        assert!(out.contains("Installing ecsnet/ecsnet"), "{out}");
    }

    /// Plans with `vars` (`name=value`), which must fail with every one of `expected` in
    /// Terraform's error output.
    fn plan_fails(&self, vars: &[&str], expected: &[&str]) {
        let mut args = vec!["plan", "-input=false"];
        for v in vars {
            args.extend(["-var", v]);
        }
        let r = self.run(&args);
        assert_eq!(r.code, 1, "terraform {args:?}: {}", r.stderr);
        for e in expected {
            assert!(
                r.stderr.contains(e),
                "terraform {args:?}: no {e:?} in {}",
                r.stderr
            );
        }
    }

    /// Plans (which must succeed) and returns the planned output values.
    fn planned_outputs(&self, vars: &[&str]) -> Json {
        let mut args = vec!["plan", "-input=false", "-out=tfplan"];
        args.extend_from_slice(vars);
        self.ok(&args);
        let shown: Json = serde_json::from_str(&self.ok(&["show", "-json", "tfplan"])).unwrap();
        shown["planned_values"]["outputs"].clone()
    }
}

const REQUIRED: &str = r#"
terraform {
  required_providers {
    ecsnet = { source = "ecsnet/ecsnet" }
  }
}
"#;

/// Every function in outputs, a precondition and a check block, with values Terraform
/// computed through the provider.
const FUNCTIONS: &str = r#"
variable "instance_type" {
  type    = string
  default = "c5.large"
  validation {
    condition     = provider::ecsnet::instance_type(var.instance_type).trunking == "supported"
    error_message = "Pick an instance type that supports ENI trunking."
  }
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "subnet_cidr" {
  type    = string
  default = "10.0.1.0/24"
}

variable "host_port" {
  type    = number
  default = 80
}

locals {
  task_definition = {
    family                   = "web"
    network_mode             = "awsvpc"
    requires_compatibilities = ["FARGATE"]
    cpu                      = 256
    memory                   = "512"
    container_definitions = jsonencode([{
      name = "web", image = "nginx"
      portMappings = [{ containerPort = 80, hostPort = var.host_port }]
    }])
    # Known only after apply; ecsnet does not read it.
    arn = terraform_data.later.output
  }
  capacity = provider::ecsnet::cluster_awsvpc_capacity([var.instance_type, "m5.xlarge"], 2, false, 0)
}

resource "terraform_data" "later" {
  input = "x"
}

resource "terraform_data" "service" {
  input = var.desired_count
  lifecycle {
    precondition {
      condition     = local.capacity.slots >= var.desired_count * 2
      error_message = "ecsnet: ${var.desired_count * 2} tasks at deployment peak, but ${local.capacity.arithmetic}."
    }
    precondition {
      condition     = length(provider::ecsnet::task_definition_findings(local.task_definition)) == 0
      error_message = join("; ", [for f in provider::ecsnet::task_definition_findings(local.task_definition) : "${f.rule} (${f.severity}) ${f.message}"])
    }
  }
}

check "subnet_room" {
  assert {
    condition     = provider::ecsnet::subnet_usable_ipv4(var.subnet_cidr) >= 4 * var.desired_count
    error_message = "Only ${provider::ecsnet::subnet_usable_ipv4(var.subnet_cidr)} usable addresses in the subnet."
  }
}

output "facts" {
  value = provider::ecsnet::instance_type(var.instance_type)
}
output "slots_trunked" {
  value = provider::ecsnet::awsvpc_task_slots(var.instance_type, true)
}
output "slots_untrunked" {
  value = provider::ecsnet::awsvpc_task_slots(var.instance_type, false)
}
output "usable" {
  value = provider::ecsnet::subnet_usable_ipv4(var.subnet_cidr)
}
output "capacity" {
  value = local.capacity
}
output "findings" {
  value = provider::ecsnet::task_definition_findings(merge(local.task_definition, { network_mode = "bridge", requires_compatibilities = ["EC2"] }))
}
output "fargate_bridge" {
  value = [for f in provider::ecsnet::task_definition_findings({ requires_compatibilities = ["FARGATE"] }) : f.rule]
}
output "unknown_mode" {
  value = provider::ecsnet::task_definition_findings(merge(local.task_definition, { network_mode = terraform_data.later.output }))
}
output "unknown_type" {
  value = provider::ecsnet::awsvpc_task_slots(terraform_data.later.output, true)
}
"#;

#[test]
fn functions_work_in_outputs_preconditions_validations_and_checks() {
    let Some(bin) = terraform() else { return };
    let tf = Tf::new(bin, false);
    tf.write("main.tf", &format!("{REQUIRED}{FUNCTIONS}"));
    tf.init();
    let out = tf.planned_outputs(&[]);
    let v = |name: &str| out[name]["value"].clone();

    let facts = v("facts");
    assert_eq!(facts["instance_type"], "c5.large");
    assert_eq!(facts["max_enis"], 3);
    assert_eq!(facts["awsvpc_tasks_without_trunking"], 2);
    assert_eq!(facts["awsvpc_tasks_with_trunking"], 10);
    assert_eq!(facts["trunking"], "supported");
    assert_eq!(facts["trunking_reason"], Json::Null);
    assert!(facts["data_editions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["table"] == "EC2 ENI limits"));
    assert_eq!(v("slots_trunked"), 10);
    assert_eq!(v("slots_untrunked"), 2);
    assert_eq!(v("usable"), 251);

    let cap = v("capacity");
    assert_eq!(cap["slots"], 4);
    assert_eq!(cap["slots_with_trunking"], 20);
    assert_eq!(cap["smallest_instance_type"], "c5.large");
    assert_eq!(cap["exact"], true);
    assert!(cap["arithmetic"]
        .as_str()
        .unwrap()
        .starts_with("4 awsvpc task slots: 2 × c5.large (max_size = 2) at 2 awsvpc slots each (the smallest of c5.large, m5.xlarge"));

    // Fargate needs awsvpc (NET003) and bridge is not it.
    let findings = v("findings");
    let rules: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.is_empty(),
        "an EC2 bridge task definition: {findings}"
    );
    let fargate = v("fargate_bridge");
    assert!(
        fargate.as_array().unwrap().iter().any(|r| r == "NET003"),
        "{fargate}"
    );

    // Unknown arguments give unknown results: no value in the plan.
    for name in ["unknown_mode", "unknown_type"] {
        assert!(out[name].get("value").is_none(), "{name}: {}", out[name]);
    }
}

#[test]
fn failing_conditions_and_bad_arguments_are_terraform_errors() {
    let Some(bin) = terraform() else { return };
    let tf = Tf::new(bin, false);
    tf.write("main.tf", &format!("{REQUIRED}{FUNCTIONS}"));
    tf.init();

    // The capacity precondition: 6 tasks at peak on 4 slots (the check block passes).
    tf.plan_fails(
        &["desired_count=3"],
        &[
            "Error: Resource precondition failed",
            "ecsnet: 6 tasks at deployment peak, but 4 awsvpc task slots: 2 × c5.large (max_size = 2)",
        ],
    );
    // The task-definition precondition: NET010 with its message.
    tf.plan_fails(
        &["host_port=8080"],
        &["NET010 (error) container 'web' maps hostPort 8080 to containerPort 80; in awsvpc mode the host port must be omitted or equal the container port"],
    );
    // A variable validation through instance_type: t3 types do not support trunking.
    tf.plan_fails(
        &["instance_type=t3.large"],
        &["Pick an instance type that supports ENI trunking."],
    );
    // Bad arguments: Terraform names the parameter, ecsnet says what is wrong.
    tf.plan_fails(
        &["instance_type=c5.larg"],
        &[
            "Error: Invalid function argument",
            "Invalid value for \"instance_type\" parameter: instance_type is not among the",
            "did you mean c5.large",
        ],
    );
    tf.plan_fails(
        &["subnet_cidr=10.0.1.0"],
        &["Invalid value for \"cidr\" parameter: cidr must be an IPv4 CIDR block such as 10.0.1.0/24"],
    );

    // A failed check block is a warning; the plan succeeds.
    let r = tf.run(&["plan", "-input=false", "-var", "subnet_cidr=10.0.1.0/29"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let all = format!("{} {}", r.stdout, r.stderr);
    assert!(all.contains("Check block assertion failed"), "{all}");
    assert!(
        all.contains("Only 3 usable addresses in the subnet."),
        "{all}"
    );
}

#[test]
fn providers_schema_lists_every_function_with_its_description() {
    let Some(bin) = terraform() else { return };
    let tf = Tf::new(bin, false);
    tf.write(
        "main.tf",
        &format!("{REQUIRED}output \"n\" {{ value = provider::ecsnet::subnet_usable_ipv4(\"10.0.0.0/16\") }}\n"),
    );
    tf.init();
    let schema: Json = serde_json::from_str(&tf.ok(&["providers", "schema", "-json"])).unwrap();
    let functions = schema["provider_schemas"][SOURCE]["functions"]
        .as_object()
        .unwrap_or_else(|| panic!("no functions: {schema}"));
    let mut names: Vec<&str> = functions.keys().map(String::as_str).collect();
    names.sort_unstable();
    let provider = ecsnet::provider::EcsnetProvider::new();
    let mut expected: Vec<&str> = provider.functions().iter().map(|f| f.name).collect();
    expected.sort_unstable();
    assert_eq!(names, expected);
    assert_eq!(names.len(), 5);
    for (name, f) in functions {
        let d = f["description"].as_str().unwrap_or_default();
        assert!(
            d.contains(&format!("provider::ecsnet::{name}(")),
            "{name}: {f}"
        );
        assert!(
            !f["summary"].as_str().unwrap_or_default().is_empty(),
            "{name}"
        );
    }
    assert_eq!(
        functions["task_definition_findings"]["parameters"][0]["type"],
        "dynamic"
    );
    // The version Terraform installed is the crate's.
    let lock = std::fs::read_to_string(tf.dir().join(".terraform.lock.hcl")).unwrap();
    assert!(
        lock.contains(&format!("version = \"{}\"", env!("CARGO_PKG_VERSION"))),
        "{lock}"
    );
}

/// The README's module example (examples/terraform-provider) with the workspace's stand-in
/// for hashicorp/aws: the postcondition on the resource itself, the service's capacity
/// precondition and the task definition's findings.
#[test]
fn the_example_module_stops_wrong_plans() {
    let Some(bin) = terraform() else { return };
    if aws_standin().is_none() {
        skip_note!("the example module test: the aws stand-in is not built (cargo build -p aws-standin, or make test)");
        return;
    }
    let tf = Tf::new(bin, true);
    let example = repo_root().join("examples/terraform-provider");
    for f in ["main.tf", "modules/ecs-service/main.tf"] {
        tf.write(f, &std::fs::read_to_string(example.join(f)).unwrap());
    }
    tf.init();
    let plan = tf.ok(&["plan", "-input=false"]);
    assert!(plan.contains("Plan: 2 to add"), "{plan}");

    let r = tf.run(&["plan", "-input=false", "-var", "desired_count=3"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("ecsnet: 6 awsvpc tasks at deployment peak, but the cluster has 4 awsvpc task slots: 2 × c5.large (max_size = 2) at 2 awsvpc slots each [3 ENIs − 1 primary] without trunking; with awsvpcTrunking, c5.large takes 10."),
        "{}",
        r.stderr
    );
    let r = tf.run(&["plan", "-input=false", "-var", "host_port=8080"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("ecsnet: NET010 container 'web' maps hostPort 8080"),
        "{}",
        r.stderr
    );

    // The postcondition alone: ecsnet reads the planned resource (`self`).
    tf.write(
        "modules/ecs-service/main.tf",
        &std::fs::read_to_string(example.join("modules/ecs-service/main.tf"))
            .unwrap()
            .replace(
                "condition     = length(local.errors) == 0",
                "condition     = length(local.errors) >= 0",
            ),
    );
    let r = tf.run(&["plan", "-input=false", "-var", "host_port=8080"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("Error: Resource postcondition failed"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("ecsnet found errors in the planned task definition."),
        "{}",
        r.stderr
    );
}
