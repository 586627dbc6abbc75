//! `ecsnet check --source DIR`: findings point at the `.tf` lines of the configuration the
//! plan was made from (a scenario's own files, through module calls), in every format;
//! inline `# ecsnet:ignore` comments suppress; without sources, findings point at the plan.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

#[macro_use]
#[path = "support/skip.rs"]
mod skip;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scenario(name: &str) -> PathBuf {
    repo().join("testdata/scenarios").join(name)
}

fn ecsnet_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecsnet"))
        .args(args)
        .current_dir(dir)
        .env_remove("ECSNET_SOURCE")
        .env_remove("ECSNET_TERRAFORM_BIN")
        .stdin(Stdio::null())
        .output()
        .expect("run ecsnet")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn json_report(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--format", "json", "--fail-on", "never"];
    all.extend_from_slice(args);
    let out = ecsnet_in(dir, &all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `RULE address -> file:line` for each finding.
fn places(report: &serde_json::Value) -> String {
    let mut lines: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let at = &d["location"];
            format!(
                "{} {} {} -> {}:{} ({})",
                d["rule"].as_str().unwrap(),
                d["address"].as_str().unwrap(),
                d["attribute"].as_str().unwrap_or("-"),
                at["file"].as_str().unwrap_or("?"),
                at["line"],
                at["kind"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

#[test]
fn findings_point_at_tf_lines_through_module_calls() {
    let dir = scenario("modules/plain-app-module");
    let plan = dir.join("plan.json");
    // Run from elsewhere (a temporary directory): paths stay relative to the repository root.
    let tmp = tempfile::tempdir().unwrap();
    let report = json_report(tmp.path(), &[s(&plan), "--source", s(&dir)]);
    insta::assert_snapshot!(places(&report), @r#"
    NET070 module.collector.aws_ecs_service.this desired_count -> testdata/scenarios/modules/plain-app-module/modules/app/main.tf:35 (source)
    NET071 module.collector.aws_ecs_service.this desired_count -> testdata/scenarios/modules/plain-app-module/modules/app/main.tf:35 (source)
    NET074 module.orders.aws_ecs_service.this deployment_minimum_healthy_percent -> testdata/scenarios/modules/plain-app-module/modules/app/main.tf:31 (source)
    NET076 module.collector.aws_ecs_service.this desired_count -> testdata/scenarios/modules/plain-app-module/modules/app/main.tf:35 (source)
    NET081 module.log_agent.aws_ecs_service.this - -> testdata/scenarios/modules/plain-app-module/modules/app/main.tf:31 (source)
    "#);
}

#[test]
fn the_source_comes_from_the_environment_or_the_working_directory() {
    let dir = scenario("modules/plain-app-module");
    let plan = dir.join("plan.json");
    // ECSNET_SOURCE
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ecsnet"))
        .args(["check", s(&plan), "--format", "json", "--fail-on", "never"])
        .current_dir(tmp.path())
        .env("ECSNET_SOURCE", &dir)
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["diagnostics"][0]["location"]["kind"], "source");
    // The working directory, when its .tf files declare the plan's resources.
    let r = json_report(&dir, &["plan.json"]);
    assert_eq!(r["diagnostics"][0]["location"]["kind"], "source");
    // A working directory whose .tf files belong to another configuration is not used:
    // findings point at the plan's entries instead.
    let other = scenario("sample/shop");
    let r = json_report(&other, &[s(&plan)]);
    for d in r["diagnostics"].as_array().unwrap() {
        assert_eq!(d["location"]["kind"], "plan", "{d}");
        assert_eq!(d["location"]["line"], 1);
        assert!(d["location"]["column"].as_u64().unwrap() > 1);
    }
}

#[test]
fn without_sources_findings_point_at_the_plan_entry() {
    let plan = scenario("modules/plain-app-module/plan.json");
    let tmp = tempfile::tempdir().unwrap();
    // A pretty-printed copy of the plan: each finding on the line of its resource's address.
    let pretty = tmp.path().join("plan.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&plan).unwrap()).unwrap();
    let text = serde_json::to_string_pretty(&v).unwrap();
    std::fs::write(&pretty, &text).unwrap();
    let r = json_report(tmp.path(), &["plan.json"]);
    let lines: Vec<&str> = text.lines().collect();
    let diags = r["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    for d in diags {
        let at = &d["location"];
        assert_eq!(at["file"], "plan.json");
        let line = lines[at["line"].as_u64().unwrap() as usize - 1];
        let quoted = serde_json::to_string(d["address"].as_str().unwrap()).unwrap();
        assert_eq!(line.trim(), format!("\"address\": {quoted},"), "{d}");
    }
    // Text shows `--> plan.json:LINE:COLUMN`.
    let out = ecsnet_in(tmp.path(), &["check", "plan.json", "--fail-on", "never"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--> plan.json:"), "{text}");
    // From stdin there is no file to point at.
    let out = Command::new(env!("CARGO_BIN_EXE_ecsnet"))
        .args(["check", "-", "--format", "json", "--fail-on", "never"])
        .current_dir(tmp.path())
        .stdin(std::fs::File::open(&pretty).unwrap())
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        r["diagnostics"][0]["location"].is_null(),
        "{}",
        r["diagnostics"][0]
    );
}

#[test]
fn every_format_carries_the_tf_location() {
    let dir = scenario("modules/plain-app-module");
    let plan = dir.join("plan.json");
    let tmp = tempfile::tempdir().unwrap();
    let run = |format: &str| {
        let out = ecsnet_in(
            tmp.path(),
            &[
                "check",
                s(&plan),
                "--source",
                s(&dir),
                "--format",
                format,
                "--fail-on",
                "never",
            ],
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let file = "testdata/scenarios/modules/plain-app-module/modules/app/main.tf";
    let text = run("text");
    assert!(
        text.contains(&format!("--> {file}:35 (desired_count)")),
        "{text}"
    );
    let gh = run("github");
    assert!(
        gh.contains(&format!(
            "::error file={file},line=35,title=NET070 module.collector"
        )),
        "{gh}"
    );
    let junit = run("junit");
    assert!(
        junit.contains(&format!("file=\"{file}\" line=\"35\"")),
        "{junit}"
    );
    assert!(
        junit.contains(&format!("--&gt; {file}:35")) || junit.contains(&format!("--> {file}:35")),
        "{junit}"
    );
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let net070 = results
        .iter()
        .find(|r| r["ruleId"] == "NET070" && r["level"] == "error")
        .unwrap();
    let phys = &net070["locations"][0]["physicalLocation"];
    assert_eq!(phys["artifactLocation"]["uri"], file);
    assert_eq!(phys["region"]["startLine"], 35);
    validate_sarif(&sarif);
}

/// Validate against the OASIS SARIF 2.1.0 schema in ../shared/sarif (skipped, visibly,
/// when the shared folder is absent).
fn validate_sarif(sarif: &serde_json::Value) {
    let schema_path = repo().join("../shared/sarif/sarif-schema-2.1.0.json");
    let Ok(schema) = std::fs::read(&schema_path) else {
        skip_note!(
            "{} absent: SARIF not validated against the schema",
            schema_path.display()
        );
        return;
    };
    let schema: serde_json::Value = serde_json::from_slice(&schema).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Relative URIs only (GitHub code scanning resolves them against the repository).
    for r in sarif["runs"][0]["results"].as_array().unwrap() {
        if let Some(uri) = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str()
        {
            assert!(!uri.starts_with('/') && !uri.contains("://"), "{uri}");
        }
    }
}

/// A copy of the scenario's configuration in a temporary directory, with `edit` applied to
/// the module's main.tf.
fn copy_with(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let src = scenario("modules/plain-app-module");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("modules/app")).unwrap();
    std::fs::copy(src.join("main.tf"), tmp.path().join("main.tf")).unwrap();
    std::fs::copy(src.join("plan.json"), tmp.path().join("plan.json")).unwrap();
    let module = std::fs::read_to_string(src.join("modules/app/main.tf")).unwrap();
    std::fs::write(tmp.path().join("modules/app/main.tf"), edit(&module)).unwrap();
    tmp
}

#[test]
fn an_ignore_comment_suppresses_with_its_reason() {
    let tmp = copy_with(|m| {
        m.replace(
            "  desired_count       = var.desired_count\n",
            "  # ecsnet:ignore NET070, NET071 -- the collector moves to Fargate next sprint\n  desired_count       = var.desired_count\n",
        )
    });
    let out = ecsnet_in(tmp.path(), &["check", "plan.json", "--format", "json"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let find = |rule: &str| {
        r["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["rule"] == rule && d["address"] == "module.collector.aws_ecs_service.this")
            .unwrap()
            .clone()
    };
    assert_eq!(
        find("NET070")["suppressed"],
        "the collector moves to Fargate next sprint"
    );
    assert_eq!(
        find("NET071")["suppressed"],
        "the collector moves to Fargate next sprint"
    );
    assert!(
        find("NET076")["suppressed"].is_null(),
        "only the rules named are suppressed"
    );
    // Outside a repository, paths are relative to the working directory.
    assert_eq!(find("NET070")["location"]["file"], "modules/app/main.tf");
    // NET076 (an error) still fails the gate.
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(ecsnet_in(tmp.path(), &["check", "plan.json"]).stdout).unwrap();
    assert!(
        text.contains("suppressed: the collector moves to Fargate next sprint"),
        "{text}"
    );
}

#[test]
fn a_comment_on_the_resource_covers_its_attributes_and_a_stale_one_is_noted() {
    let tmp = copy_with(|m| {
        m.replace(
            "resource \"aws_ecs_service\" \"this\" {\n",
            "# ecsnet:ignore NET076 -- daemon slots are reserved on purpose\nresource \"aws_ecs_service\" \"this\" {\n",
        )
        .replace(
            "  network_mode = \"awsvpc\"\n",
            "  network_mode = \"awsvpc\" # ecsnet:ignore NET010 -- nothing fires here\n",
        )
    });
    let out = ecsnet_in(tmp.path(), &["check", "plan.json", "--format", "json"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let net076 = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "NET076")
        .unwrap();
    assert_eq!(net076["suppressed"], "daemon slots are reserved on purpose");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("note: the suppression at modules/app/main.tf:21 (ecsnet:ignore NET010) matched no finding"),
        "{err}"
    );
}

#[test]
fn a_suppression_without_reason_is_an_error_naming_file_and_line() {
    let tmp = copy_with(|m| {
        m.replace(
            "  desired_count       = var.desired_count\n",
            "  # ecsnet:ignore NET070\n  desired_count       = var.desired_count\n",
        )
    });
    let out = ecsnet_in(tmp.path(), &["check", "plan.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("modules/app/main.tf:35: ecsnet:ignore NET070 has no reason"),
        "{err}"
    );
    // A .tf file that does not parse, and a --source that is not a directory: one line, exit 2.
    let tmp = copy_with(|m| format!("{m}\nresource \"x\" {{\n"));
    let out = ecsnet_in(tmp.path(), &["check", "plan.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    let out = ecsnet_in(tmp.path(), &["check", "plan.json", "--source", "plan.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a directory"));
}

#[test]
fn timings_name_each_phase_on_stderr_and_leave_the_report_alone() {
    let dir = scenario("modules/plain-app-module");
    let plan = dir.join("plan.json");
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "check",
        "--format",
        "json",
        "--fail-on",
        "never",
        s(&plan),
        "--source",
        s(&dir),
    ];
    let quiet = ecsnet_in(tmp.path(), &args);
    let timed = Command::new(env!("CARGO_BIN_EXE_ecsnet"))
        .args(args)
        .current_dir(tmp.path())
        .env_remove("ECSNET_SOURCE")
        .env("ECSNET_TIMINGS", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run ecsnet");
    assert_eq!(timed.status.code(), Some(0));
    assert_eq!(timed.stdout, quiet.stdout, "timings change no report");
    let err = String::from_utf8_lossy(&timed.stderr);
    let phases: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("ecsnet timing: "))
        .map(|l| l.split("  ").next().unwrap_or("").trim())
        .collect();
    // The sources are read on a thread of their own: their line may come anywhere before
    // the main thread takes them ("sources ready").
    let main: Vec<&str> = phases
        .iter()
        .copied()
        .filter(|p| *p != "sources read")
        .collect();
    assert_eq!(
        main,
        [
            "plans read",
            "sources ready",
            "sources applied",
            "model built",
            "rules run",
            "report built",
            "report written"
        ],
        "{err}"
    );
    let sources_read = phases.iter().position(|p| *p == "sources read");
    let ready = phases.iter().position(|p| *p == "sources ready");
    assert!(sources_read.is_some() && sources_read < ready, "{err}");
    // Off by default.
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("ecsnet timing:"));
}
