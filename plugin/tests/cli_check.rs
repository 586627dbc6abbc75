//! `ecsnet check`, `explain` and `rules` as a user runs them: exit codes, configuration,
//! `--output`, stdin, and that every format carries the same findings and no secret.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The plan of a report scenario (`testdata/scenarios/reports/<name>/`, made by real
/// Terraform): `clean`, `mixed` or `sensitive`.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/scenarios/reports")
        .join(name)
        .join("plan.json")
}

/// Run ecsnet in `dir` (a temporary directory unless given) so no stray `.ecsnet.hcl` is
/// picked up, with colour forced off by the environment as in CI.
fn ecsnet_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ecsnet"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("ECSNET_TERRAFORM_BIN")
        .env_remove("CLICOLOR_FORCE")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run ecsnet");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn ecsnet(args: &[&str]) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = ecsnet_in(dir.path(), args, None);
    (out, dir)
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn findings_at_fail_on_exit_1_and_never_exits_0() {
    let mixed = fixture("mixed");
    let (o, _d) = ecsnet(&["check", path(&mixed)]);
    assert_eq!(
        code(&o),
        1,
        "stdout:\n{}\nstderr:\n{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(stdout(&o).contains("error["), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("fail-on error: failed"),
        "{}",
        stdout(&o)
    );

    let (o, _d) = ecsnet(&["check", path(&mixed), "--fail-on", "never"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("fail-on never: passed"));
}

#[test]
fn a_correct_plan_exits_0() {
    let (o, _d) = ecsnet(&["check", path(&fixture("clean"))]);
    assert_eq!(
        code(&o),
        0,
        "stdout:\n{}\nstderr:\n{}",
        stdout(&o),
        stderr(&o)
    );
    assert!(!stdout(&o).contains("error["), "{}", stdout(&o));
}

#[test]
fn text_is_not_coloured_when_not_a_terminal() {
    let (o, _d) = ecsnet(&["check", path(&fixture("mixed"))]);
    assert!(!o.stdout.contains(&0x1b), "escape codes in piped output");
}

#[test]
fn colour_follows_clicolor_force_no_color_and_the_flag() {
    let run = |envs: &[(&str, &str)], extra: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ecsnet"));
        cmd.arg("check")
            .arg(fixture("mixed"))
            .args(extra)
            .current_dir(dir.path())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.output().unwrap().stdout
    };
    assert!(run(&[("CLICOLOR_FORCE", "1")], &[]).contains(&0x1b));
    assert!(!run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]).contains(&0x1b));
    assert!(!run(&[("CLICOLOR_FORCE", "1")], &["--no-color"]).contains(&0x1b));
    assert!(!run(&[("CLICOLOR_FORCE", "1")], &["--format", "json"]).contains(&0x1b));
    assert!(!run(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]).contains(&0x1b));
    assert!(run(&[("NO_COLOR", "1")], &["--color", "always"]).contains(&0x1b));
    assert!(!run(&[], &["--color", "auto"]).contains(&0x1b));
}

#[test]
fn fail_on_from_config_and_flag_precedence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".ecsnet.hcl"), "fail_on = \"never\"\n").unwrap();
    let mixed = fixture("mixed");
    let o = ecsnet_in(dir.path(), &["check", path(&mixed)], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = ecsnet_in(
        dir.path(),
        &["check", path(&mixed), "--fail-on", "error"],
        None,
    );
    assert_eq!(code(&o), 1, "the flag wins over the file");
}

#[test]
fn ignore_all_suppresses_and_keeps_findings_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".ecsnet.hcl"),
        "ignore {\n  rule    = \"*\"\n  address = \"*\"\n  reason  = \"fixture accepted wholesale\"\n}\n",
    )
    .unwrap();
    let o = ecsnet_in(
        dir.path(),
        &[
            "check",
            path(&fixture("mixed")),
            "--format",
            "json",
            "--fail-on",
            "info",
        ],
        None,
    );
    assert_eq!(code(&o), 0, "every finding is suppressed: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    assert!(diags
        .iter()
        .all(|d| d["suppressed"] == "fixture accepted wholesale"));
    assert_eq!(
        v["summary"]["suppressed"].as_u64().unwrap() as usize,
        diags.len()
    );
    assert_eq!(v["summary"]["failed"], false);
    assert!(!stderr(&o).contains("matched no finding"), "{}", stderr(&o));
}

#[test]
fn a_stale_ignore_is_pointed_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".ecsnet.hcl"),
        "\nignore {\n  rule    = \"*\"\n  address = \"module.gone.*\"\n  reason  = \"old exception\"\n}\n",
    )
    .unwrap();
    let o = ecsnet_in(dir.path(), &["check", path(&fixture("clean"))], None);
    assert_eq!(code(&o), 0);
    assert!(
        stderr(&o).contains("note: the ignore block at .ecsnet.hcl:2 (rule *, address module.gone.*) matched no finding"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_configuration_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".ecsnet.hcl"),
        "fail_on = \"error\"\n\nassume {\n  awsvpc_trunking = \"yes\"\n}\n",
    )
    .unwrap();
    let o = ecsnet_in(dir.path(), &["check", path(&fixture("mixed"))], None);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.starts_with("error: .ecsnet.hcl:4: "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(o.stdout.is_empty());

    // malformed HCL, via --config
    let cfg = dir.path().join("broken.hcl");
    std::fs::write(&cfg, "rule \"NET003\" {\n  enabled = \n").unwrap();
    let o = ecsnet_in(
        dir.path(),
        &["check", path(&fixture("mixed")), "--config", path(&cfg)],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("broken.hcl:"), "{}", stderr(&o));

    // missing --config file
    let o = ecsnet_in(
        dir.path(),
        &["check", path(&fixture("mixed")), "--config", "nope.hcl"],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("nope.hcl: cannot read configuration"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_input_and_usage_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "this is not json").unwrap();
    for args in [
        vec!["check", path(&junk)],
        vec!["check", "/nonexistent/plan.json"],
        vec!["check"],
        vec!["check", path(&fixture("mixed")), "--format", "xml"],
        vec!["check", path(&fixture("mixed")), "--fail-on", "sometimes"],
        vec!["check", "-", "-"],
    ] {
        let o = ecsnet_in(dir.path(), &args, Some(b""));
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?} explains itself");
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.sarif");
    let o = ecsnet_in(
        dir.path(),
        &[
            "check",
            path(&fixture("mixed")),
            "--format",
            "sarif",
            "--output",
            path(&out),
        ],
        None,
    );
    assert_eq!(code(&o), 1, "exit code does not depend on --output");
    assert!(o.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");

    let o = ecsnet_in(
        dir.path(),
        &[
            "check",
            path(&fixture("mixed")),
            "-o",
            "/nonexistent/dir/report.txt",
        ],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("cannot write /nonexistent/dir/report.txt"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn stdin_gives_the_same_findings_as_the_file() {
    let mixed = fixture("mixed");
    let bytes = std::fs::read(&mixed).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let from_stdin = ecsnet_in(
        dir.path(),
        &["check", "-", "--format", "json"],
        Some(&bytes),
    );
    let from_file = ecsnet_in(
        dir.path(),
        &["check", path(&mixed), "--format", "json"],
        None,
    );
    assert_eq!(code(&from_stdin), code(&from_file));
    let a: serde_json::Value = serde_json::from_slice(&from_stdin.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&from_file.stdout).unwrap();
    assert_eq!(a["plans"][0]["path"], "-");
    // The same findings; only a file has lines to point at.
    let mut b_diags = b["diagnostics"].clone();
    for d in b_diags.as_array_mut().unwrap() {
        assert_eq!(d["location"]["kind"], "plan", "{d}");
        d["location"] = serde_json::Value::Null;
    }
    assert_eq!(a["diagnostics"], b_diags);
}

#[test]
fn several_plans_name_the_plan_of_each_finding() {
    let (o, _d) = ecsnet(&[
        "check",
        path(&fixture("clean")),
        path(&fixture("mixed")),
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["plans"].as_array().unwrap().len(), 2);
    assert!(v["plans"][1]["path"]
        .as_str()
        .unwrap()
        .ends_with("reports/mixed/plan.json"));
    let batch = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["address"] == "aws_ecs_task_definition.batch")
        .expect("the Fargate bridge task definition is reported");
    assert_eq!(batch["plan"], 1, "{batch}");

    let (o, _d) = ecsnet(&["check", path(&fixture("clean")), path(&fixture("mixed"))]);
    assert!(
        stdout(&o).contains("aws_ecs_task_definition.batch  ("),
        "text names the plan when there are several: {}",
        stdout(&o)
    );
}

fn run_format(plan: &Path, format: &str) -> String {
    let (o, _d) = ecsnet(&[
        "check",
        path(plan),
        "--format",
        format,
        "--fail-on",
        "never",
    ]);
    assert_eq!(code(&o), 0, "{format}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn every_format_carries_the_same_findings() {
    let mixed = fixture("mixed");
    let json: serde_json::Value = serde_json::from_str(&run_format(&mixed, "json")).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty());
    let mut keys: Vec<(String, String)> = diags
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().into(),
                d["address"].as_str().unwrap().into(),
            )
        })
        .collect();

    let sarif: serde_json::Value = serde_json::from_str(&run_format(&mixed, "sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let mut sarif_keys: Vec<(String, String)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().into(),
                r["locations"][0]["logicalLocations"][0]["name"]
                    .as_str()
                    .unwrap()
                    .into(),
            )
        })
        .collect();
    keys.sort();
    sarif_keys.sort();
    assert_eq!(keys, sarif_keys);

    let github = run_format(&mixed, "github");
    let annotations: Vec<&str> = github.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), diags.len(), "{github}");
    for d in diags {
        let needle = format!("title={} ", d["rule"].as_str().unwrap());
        assert!(github.contains(&needle), "{needle} in {github}");
    }

    let junit = run_format(&mixed, "junit");
    let mut pairs = keys.clone();
    pairs.dedup();
    assert_eq!(junit.matches("<testcase ").count(), pairs.len(), "{junit}");
    for (rule, _) in &pairs {
        assert!(junit.contains(&format!("classname=\"{rule}\"")), "{rule}");
    }

    let text = run_format(&mixed, "text");
    for d in diags {
        let head = format!(
            "{}[{}]",
            d["severity"].as_str().unwrap(),
            d["rule"].as_str().unwrap()
        );
        assert!(text.contains(&head), "{head} in {text}");
        assert!(text.contains(d["message"].as_str().unwrap()), "{text}");
    }
}

#[test]
fn no_format_ever_prints_a_sensitive_value() {
    let sensitive = fixture("sensitive");
    let raw = std::fs::read_to_string(&sensitive).unwrap();
    assert!(
        raw.contains("CANARY-SENSITIVE-reports"),
        "the fixture carries the canaries"
    );
    for format in ["text", "json", "sarif", "junit", "github"] {
        let (o, _d) = ecsnet(&[
            "check",
            path(&sensitive),
            "--format",
            format,
            "--fail-on",
            "never",
        ]);
        assert_eq!(code(&o), 0, "{format}: {}", stderr(&o));
        for (stream, text) in [("stdout", stdout(&o)), ("stderr", stderr(&o))] {
            assert!(
                !text.contains("CANARY-SENSITIVE"),
                "{format} {stream} leaks a sensitive value:\n{text}"
            );
        }
    }
}

#[test]
fn help_teaches_with_examples() {
    let (o, _d) = ecsnet(&["check", "--help"]);
    assert_eq!(code(&o), 0);
    let h = stdout(&o);
    assert!(
        h.contains("terraform show -json tfplan | ecsnet check -"),
        "{h}"
    );
    assert!(h.contains("--fail-on"));
    assert!(h.contains("Exit codes"));
    for cmd in ["explain", "rules"] {
        let (o, _d) = ecsnet(&[cmd, "--help"]);
        assert_eq!(code(&o), 0);
        assert!(stdout(&o).contains("Examples:"), "{cmd}");
    }
}

#[test]
fn explain_and_rules() {
    let (o, _d) = ecsnet(&["rules", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let rules: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let first = rules["rules"][0]["id"]
        .as_str()
        .expect("at least one rule")
        .to_string();

    let (o, _d) = ecsnet(&["explain", &first]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).starts_with(&first), "{}", stdout(&o));
    assert!(stdout(&o).contains("## How to fix"));

    let (o, _d) = ecsnet(&["explain", "NET9999"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).starts_with("error: unknown rule \"NET9999\""),
        "{}",
        stderr(&o)
    );

    let (o, _d) = ecsnet(&["explain", &first[..5]]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(&first),
        "close ids are listed: {}",
        stderr(&o)
    );

    let (o, _d) = ecsnet(&["rules"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains(&first));
}

#[test]
fn the_documented_configuration_is_valid() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/configuration.md"),
    )
    .unwrap();
    let start = doc.find("```hcl\n").expect("an hcl example") + "```hcl\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".ecsnet.hcl"), &doc[start..end]).unwrap();
    let o = ecsnet_in(dir.path(), &["check", path(&fixture("clean"))], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("fail-on warning"), "{}", stdout(&o));
}

/// Every unverifiable note names its missing inputs, each with its kind, in JSON and in the
/// SARIF result's properties; the kinds tell a subnet outside the plan from a value known
/// only after apply, and the help for several subnets is one `assume` block that settles
/// the note when pasted into `.ecsnet.hcl`.
#[test]
fn unverifiable_notes_name_their_missing_inputs_and_kinds() {
    let scenario = |name: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../testdata/scenarios/capacity")
            .join(name)
            .join("plan.json")
    };
    let empty = tempfile::tempdir().unwrap();
    // The report of `plan` checked in `dir`, in `format`.
    let report = |dir: &Path, plan: &Path, format: &str| -> serde_json::Value {
        let args = [
            "check",
            path(plan),
            "--no-source",
            "--format",
            format,
            "--fail-on",
            "never",
        ];
        serde_json::from_str(&stdout(&ecsnet_in(dir, &args, None))).unwrap()
    };
    let notes = |v: &serde_json::Value, rule: &str| -> Vec<serde_json::Value> {
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == rule && d["unverifiable"] == true)
            .cloned()
            .collect()
    };
    let kinds = |plan: &Path, rule: &str| -> Vec<String> {
        let v = report(empty.path(), plan, "json");
        let d = notes(&v, rule)
            .pop()
            .unwrap_or_else(|| panic!("no unverifiable {rule}"));
        d["missing"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                assert!(!m["what"].as_str().unwrap().is_empty());
                m["kind"].as_str().unwrap().to_string()
            })
            .collect()
    };
    let outside = scenario("unverifiable-subnet-outside-plan");
    assert_eq!(kinds(&outside, "NET072"), ["outside_plan", "outside_plan"]);
    assert_eq!(
        kinds(&scenario("unverifiable-max-size-unknown"), "NET070"),
        ["after_apply"]
    );

    let sarif = report(empty.path(), &outside, "sarif");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "NET072")
        .unwrap()
        .clone();
    assert_eq!(result["properties"]["missing"][0]["kind"], "outside_plan");

    // The help's assume block, pasted into .ecsnet.hcl, settles NET072.
    let v = report(empty.path(), &outside, "json");
    let help = notes(&v, "NET072")[0]["help"].as_str().unwrap().to_string();
    let block: String = help
        .lines()
        .skip_while(|l| !l.starts_with("assume {"))
        .take_while(|l| !l.starts_with("Or "))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(block.matches("subnet \"").count(), 2, "{help}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".ecsnet.hcl"), &block).unwrap();
    let v = report(dir.path(), &outside, "json");
    assert!(
        !v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "NET072"),
        "{v}"
    );
}
