//! The CI-gate contract: fingerprints unique and stable over the scenario plans, the
//! baseline round trip through the binary, every JSON output valid against its schema in
//! `docs/schemas/`, and SARIF valid against the OASIS SARIF 2.1.0 schema.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use ecsnet::config::Config;
use ecsnet::engine::{self, Report};
use ecsnet::plan::{self, LoadOptions};
use ecsnet::report::{json, sarif};

fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    root.canonicalize().unwrap_or(root)
}

/// Every plan of every scenario, sorted.
fn scenario_plans() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let dir = repo_root().join("testdata/scenarios");
    for topic in std::fs::read_dir(&dir).unwrap().flatten() {
        let Ok(names) = std::fs::read_dir(topic.path()) else {
            continue;
        };
        for scenario in names.flatten() {
            let Ok(files) = std::fs::read_dir(scenario.path()) else {
                continue;
            };
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if name.starts_with("plan") && name.ends_with(".json") {
                    out.push(f.path());
                }
            }
        }
    }
    out.sort();
    assert!(
        out.len() > 50,
        "scenario plans not found under {}",
        dir.display()
    );
    out
}

fn check(paths: &[&Path]) -> Report {
    let inputs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let plans = plan::load_all(&inputs, &LoadOptions::default()).unwrap();
    engine::check_plans(&plans, &Config::default())
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = repo_root().join("docs/schemas").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn fingerprints_are_unique_in_every_scenario_and_across_plans() {
    let plans = scenario_plans();
    let mut by_rule_ports = 0;
    for p in &plans {
        let report = check(&[p]);
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for d in &report.diagnostics {
            assert_eq!(d.fingerprint.len(), 32, "{}", p.display());
            if let Some(other) = seen.insert(&d.fingerprint, &d.message) {
                panic!(
                    "{}: {} and {} share fingerprint {}",
                    p.display(),
                    other,
                    d.message,
                    d.fingerprint
                );
            }
            if d.rule == "NET073" && d.discriminator.is_some() {
                by_rule_ports += 1;
            }
        }
    }
    assert!(by_rule_ports > 3, "no NET073 finding carried its port");

    // A scenario whose service needs two static ports: one finding per port, two fingerprints.
    let two_ports = repo_root()
        .join("testdata/scenarios/capacity/host-port-more-tasks-than-instances/plan.json");
    let report = check(&[&two_ports]);
    let ports: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "NET073" && d.address == "aws_ecs_service.envoy")
        .map(|d| (d.discriminator.as_deref().unwrap(), d.fingerprint.as_str()))
        .collect();
    assert_eq!(ports.len(), 2, "{ports:?}");
    assert_ne!(ports[0].1, ports[1].1);
    assert!(
        ports.iter().any(|(p, _)| *p == "80/tcp") && ports.iter().any(|(p, _)| *p == "9901/tcp")
    );

    // All plans in one run: the same addresses in several plans never share a fingerprint.
    let all: Vec<&Path> = plans.iter().map(PathBuf::as_path).collect();
    let report = check(&all);
    let mut seen = std::collections::HashSet::new();
    for d in &report.diagnostics {
        assert!(seen.insert(d.fingerprint.clone()), "shared: {d:?}");
    }
    // The same plan given twice: every finding comes twice, with two fingerprints.
    let sample = repo_root().join("testdata/scenarios/sample/shop/plan.json");
    let copy = tempfile::tempdir().unwrap();
    let moved = copy.path().join("elsewhere.json");
    std::fs::copy(&sample, &moved).unwrap();
    let twice = check(&[&sample, &moved]);
    let one = check(&[&sample]);
    assert_eq!(twice.diagnostics.len(), 2 * one.diagnostics.len());
    let fps: std::collections::HashSet<&str> = twice
        .diagnostics
        .iter()
        .map(|d| d.fingerprint.as_str())
        .collect();
    assert_eq!(fps.len(), twice.diagnostics.len());
    // Alone, a plan's fingerprints do not depend on where the file lies.
    let alone = check(&[&moved]);
    let a: Vec<&str> = one
        .diagnostics
        .iter()
        .map(|d| d.fingerprint.as_str())
        .collect();
    let b: Vec<&str> = alone
        .diagnostics
        .iter()
        .map(|d| d.fingerprint.as_str())
        .collect();
    assert_eq!(a, b);
}

#[test]
fn shared_problems_are_one_finding_listing_the_services() {
    let sample = repo_root().join("testdata/scenarios/sample/shop/plan.json");
    let report = check(&[&sample]);
    let count = |rule: &str| report.diagnostics.iter().filter(|d| d.rule == rule).count();
    // One ENI problem on the cluster, one trunking advice, one port 8080/tcp problem.
    assert_eq!(
        (count("NET070"), count("NET071"), count("NET073")),
        (1, 1, 1)
    );
    let eni = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "NET070")
        .unwrap();
    assert_eq!(eni.address, "aws_ecs_service.catalog");
    assert_eq!(eni.also, ["aws_ecs_service.search"]);
    let v = sarif::to_value(&report);
    let r = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "NET070")
        .unwrap();
    let related = r["relatedLocations"].as_array().unwrap();
    assert_eq!(
        related[0]["logicalLocations"][0]["name"],
        "aws_ecs_service.search"
    );
    assert_eq!(related[0]["message"]["text"], "also has this problem");
}

fn ecsnet(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ecsnet"))
        .args(args)
        .current_dir(dir)
        .env_remove("ECSNET_CONFIG")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("ECSNET_PLUGIN_MAGIC_COOKIE")
        .output()
        .unwrap()
}

/// Run ecsnet and check its exit code, showing its stderr when it differs.
fn expect_exit(args: &[&str], dir: &Path, code: i32) -> std::process::Output {
    let out = ecsnet(args, dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    out
}

#[test]
fn baseline_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let sample = repo_root().join("testdata/scenarios/sample/shop/plan.json");
    let sample = sample.to_str().unwrap();
    // Today's findings fail the gate.
    assert_eq!(
        ecsnet(&["check", sample, "-f", "json"], dir.path())
            .status
            .code(),
        Some(1)
    );
    // Writing the baseline accepts them.
    expect_exit(
        &["check", sample, "--write-baseline", "b.json", "-f", "json"],
        dir.path(),
        0,
    );
    let file: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("b.json")).unwrap()).unwrap();
    assert_valid(&schema("baseline.schema.json"), &file, "baseline");
    let written = file["findings"].as_array().unwrap().len();
    assert_eq!(written, 8);
    // Against the baseline the same plan passes, every finding marked known.
    let out = expect_exit(
        &["check", sample, "--baseline", "b.json", "-f", "json"],
        dir.path(),
        0,
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid(
        &schema("report.schema.json"),
        &report,
        "report with baseline",
    );
    assert_eq!(report["summary"]["baselined"], 8);
    assert_eq!(report["summary"]["baseline"]["new"], 0);
    assert!(report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["baselined"] == true));

    // A plan with a problem the baseline lacks fails on that one only, and the entries of
    // problems it no longer has are reported absent.
    let other = repo_root()
        .join("testdata/scenarios/capacity/host-port-more-tasks-than-instances/plan.json");
    let other = other.to_str().unwrap();
    let out = ecsnet(
        &["check", other, "--baseline", "b.json", "-f", "json"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let b = &report["summary"]["baseline"];
    assert_eq!(b["known"], 0);
    assert_eq!(b["absent"].as_array().unwrap().len(), written);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no longer occurs"), "{err}");
    assert!(
        err.contains("more baseline entries no longer occur") || written <= 10,
        "{err}"
    );

    // Writing the baseline over an input plan is refused before anything is written.
    std::fs::copy(sample, dir.path().join("p.json")).unwrap();
    let out = expect_exit(
        &["check", "p.json", "--write-baseline", "./p.json"],
        dir.path(),
        2,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is an input plan and an output of this run"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("p.json")).unwrap(),
        std::fs::read(sample).unwrap()
    );

    // A bad baseline is one line and exit 2.
    std::fs::write(dir.path().join("bad.json"), "[1, 2]").unwrap();
    let out = ecsnet(&["check", sample, "--baseline", "bad.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: bad.json: not an ecsnet baseline"),
        "{err}"
    );
}

#[test]
fn every_json_output_matches_its_schema() {
    let report_schema = schema("report.schema.json");
    for p in scenario_plans() {
        let report = check(&[&p]);
        assert_valid(
            &report_schema,
            &json::to_value(&report),
            &p.display().to_string(),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let sample = repo_root().join("testdata/scenarios/sample/shop/plan.json");
    let sample = sample.to_str().unwrap();
    for (args, name) in [
        (vec!["rules", "--format", "json"], "rules.schema.json"),
        (
            vec!["capacity", sample, "--format", "json"],
            "capacity.schema.json",
        ),
        (
            vec!["inventory", sample, "--format", "json"],
            "inventory.schema.json",
        ),
        (
            vec!["instance-type", "c5.large", "--format", "json"],
            "instance-type.schema.json",
        ),
    ] {
        let out = ecsnet(&args, dir.path());
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_valid(&schema(name), &doc, name);
        // One version key across every JSON output.
        assert!(doc["version"].is_u64(), "{name}");
        assert!(doc.get("schema_version").is_none(), "{name}");
    }
}

#[test]
fn sarif_is_valid_with_relative_uris_and_run_fields() {
    let schema_path = repo_root().join("../shared/sarif/sarif-schema-2.1.0.json");
    let Ok(text) = std::fs::read_to_string(&schema_path) else {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {} is absent; SARIF not validated against the OASIS schema",
            schema_path.display()
        );
        return;
    };
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    // Absolute plan paths (as the tests give them): URIs must still be relative.
    let mut plans = scenario_plans();
    plans.truncate(40);
    plans.push(repo_root().join("testdata/scenarios/sample/shop/plan.json"));
    for p in &plans {
        let v = sarif::to_value(&check(&[p]));
        assert_valid(&validator, &v, &p.display().to_string());
        let run = &v["runs"][0];
        let driver = &run["tool"]["driver"];
        assert!(driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://"));
        assert!(driver["fullName"].as_str().unwrap().starts_with("ecsnet "));
        assert!(run["automationDetails"]["id"].is_string());
        let text = v.to_string();
        assert!(
            !text.contains("\"uri\":\"/"),
            "absolute URI in {}",
            p.display()
        );
        for r in run["results"].as_array().unwrap() {
            let fp = r["partialFingerprints"]["ecsnet/v2"].as_str().unwrap();
            assert_eq!(fp.len(), 32);
        }
    }
}

#[test]
fn several_reports_in_one_run_and_a_summary_line_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let sample = repo_root().join("testdata/scenarios/sample/shop/plan.json");
    let sample = sample.to_str().unwrap();
    let out = ecsnet(
        &[
            "check",
            sample,
            "-f",
            "sarif=r.sarif",
            "-f",
            "junit=r.xml",
            "-f",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    // The primary report went to a file: one summary line on stderr.
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("ecsnet: 5 errors, 3 warnings"), "{err}");
    assert!(err.trim_end().ends_with("(report: r.sarif)"), "{err}");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 8);
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 8);
    assert!(std::fs::read_to_string(dir.path().join("r.xml"))
        .unwrap()
        .contains("<testsuites"));
    // `-o -` is standard output, not a file named `-`.
    let out = ecsnet(&["check", sample, "-f", "json", "-o", "-"], dir.path());
    assert!(serde_json::from_slice::<Value>(&out.stdout).is_ok());
    assert!(!dir.path().join("-").exists());
    // --quiet and --min-severity leave findings out.
    let out = ecsnet(
        &["check", sample, "-f", "json", "--min-severity", "error"],
        dir.path(),
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["severity"] == "error"));
    assert_eq!(json["summary"]["warnings"], 0);
    // --fail-on takes what the configuration takes.
    let out = ecsnet(
        &[
            "check",
            sample,
            "--fail-on",
            "warn",
            "--min-severity",
            "warn",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_plan_without_ecs_resources_is_pointed_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("empty.json"),
        r#"{"format_version":"1.2","planned_values":{"root_module":{}}}"#,
    )
    .unwrap();
    let out = ecsnet(&["check", "empty.json", "-f", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note: empty.json holds no ECS resource"),
        "{err}"
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["notes"][0]
        .as_str()
        .unwrap()
        .contains("holds no ECS resource"));
    for format in ["text", "github", "junit", "sarif"] {
        let out = ecsnet(&["check", "empty.json", "-f", format], dir.path());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("holds no ECS resource"), "{format}: {text}");
    }
}

#[test]
fn step_summary_goes_to_the_file_github_names() {
    let dir = tempfile::tempdir().unwrap();
    let sample = repo_root().join("testdata/scenarios/sample/shop/plan.json");
    let summary = dir.path().join("summary.md");
    let out = Command::new(env!("CARGO_BIN_EXE_ecsnet"))
        .args(["check", sample.to_str().unwrap(), "-f", "github"])
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("### ecsnet: failed (fail-on error)"), "{md}");
    assert_eq!(
        md.lines()
            .filter(|l| l.starts_with("| error") || l.starts_with("| warning"))
            .count(),
        8,
        "{md}"
    );
}

#[test]
fn github_annotations_name_an_absolute_plan_relative_to_the_checkout() {
    // CI jobs run in the checkout; GitHub resolves `file=` against it, so an absolute plan
    // path under the working directory must be given relative to it.
    let root = repo_root();
    let sample = root.join("testdata/scenarios/sample/shop/plan.json");
    let out = ecsnet(&["check", sample.to_str().unwrap(), "-f", "github"], &root);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let files: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split("file=").nth(1))
        .map(|rest| rest.split(',').next().unwrap())
        .collect();
    assert!(!files.is_empty(), "{text}");
    for f in files {
        assert_eq!(f, "testdata/scenarios/sample/shop/plan.json", "{text}");
    }
}
