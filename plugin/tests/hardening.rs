//! What a demanding user finds, end to end through the built `ecsnet` binary: every
//! wrong input to every plan-reading command is one `error:` line and exit 2 (never a
//! panic), real plans never crash or leak a sensitive value, every command's help teaches
//! by example, `--output` and `--format json` keep their promises, and exit codes follow
//! `--fail-on`.
//!
//! Inputs are the hand-made files under `testdata/bad/` plus inputs generated here into a
//! temporary directory (deep nesting, other text encodings, unreadable files).

#[macro_use]
#[path = "support/skip.rs"]
mod skip;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The commands that read plans; each must treat bad input the same way.
const PLAN_COMMANDS: [&str; 3] = ["check", "inventory", "capacity"];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn bad(name: &str) -> PathBuf {
    repo().join("testdata/bad").join(name)
}

/// The plan of a report scenario (`testdata/scenarios/reports/<name>/`, made by real
/// Terraform): `clean`, `mixed` or `sensitive`.
/// The blue/green scenario's plan after its cut-over: two module instances of one service
/// whose rolling peaks outgrow the one subnet they share (a data source).
const BLUE_GREEN_CUTOVER: &str = "testdata/scenarios/foundation/blue-green-family/update/plan.json";
const PAYMENTS_SUBNET: &str = r#"data.aws_subnet.payments["subnet-0b6e1c2d3a4f50001"]"#;

fn report_fixture(name: &str) -> PathBuf {
    repo()
        .join("testdata/scenarios/reports")
        .join(name)
        .join("plan.json")
}

/// How to run one ecsnet invocation.
#[derive(Default)]
struct Run<'a> {
    stdin: Option<&'a [u8]>,
    env: Vec<(&'a str, &'a str)>,
    unset: Vec<&'a str>,
}

/// Runs ecsnet in a fresh temporary directory (so no stray `.ecsnet.hcl` is read), with
/// the terraform binary pointed at a path that does not exist unless the caller says
/// otherwise: a test must never depend on a terraform installed on the machine.
fn ecsnet_with(args: &[&str], run: Run<'_>) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ecsnet"));
    cmd.args(args)
        .current_dir(dir.path())
        .env("ECSNET_TERRAFORM_BIN", "/nonexistent/ecsnet-qa/terraform")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("ECSNET_PLUGIN_MAGIC_COOKIE")
        .env_remove("RUST_BACKTRACE")
        .stdin(if run.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in &run.env {
        cmd.env(k, v);
    }
    for k in &run.unset {
        cmd.env_remove(k);
    }
    let mut child = cmd.spawn().expect("run ecsnet");
    if let Some(bytes) = run.stdin {
        let mut pipe = child.stdin.take().unwrap();
        // ecsnet may reject the input before reading all of it; a broken pipe is fine.
        let _ = pipe.write_all(bytes);
    }
    child.wait_with_output().unwrap()
}

fn ecsnet(args: &[&str]) -> Output {
    ecsnet_with(args, Run::default())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Signs that the process crashed or printed a Rust panic instead of a user error.
fn assert_no_crash(what: &str, o: &Output) {
    let err = text(&o.stderr);
    let out = text(&o.stdout);
    assert!(
        o.status.code().is_some(),
        "{what}: killed by a signal ({:?})\nstderr:\n{err}",
        o.status
    );
    for sign in [
        "panicked",
        "RUST_BACKTRACE",
        "stack backtrace",
        "stack overflow",
        "thread 'main'",
    ] {
        assert!(
            !err.contains(sign) && !out.contains(sign),
            "{what}: output looks like a crash ({sign:?})\nstderr:\n{err}"
        );
    }
}

/// The bad-input contract: exit 2, nothing on stdout, exactly one line on stderr that
/// starts with `error: `, and no panic. Returns the message (without `error: `).
fn user_error(what: &str, o: &Output) -> String {
    assert_no_crash(what, o);
    let err = text(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{what}: expected exit 2\nstdout:\n{}\nstderr:\n{err}",
        text(&o.stdout)
    );
    assert!(
        o.stdout.is_empty(),
        "{what}: stdout must be empty on bad input, got:\n{}",
        text(&o.stdout)
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{what}: expected exactly one line on stderr, got:\n{err}"
    );
    let msg = lines[0]
        .strip_prefix("error: ")
        .unwrap_or_else(|| panic!("{what}: stderr must start with `error: `: {err}"));
    // "What is wrong: what to do" — a message without a second part gives no remedy.
    assert!(
        (msg.contains(": ") || msg.contains("; ")) && msg.len() > 30,
        "{what}: the message must say what is wrong and what to do: {msg}"
    );
    msg.to_string()
}

/// Runs every plan-reading command on `path` and checks the bad-input contract, with
/// `expect` (any of them, case-insensitive) in the message.
fn every_command_rejects(what: &str, path: &str, run: impl Fn() -> Run<'static>, expect: &[&str]) {
    for cmd in PLAN_COMMANDS {
        let o = ecsnet_with(&[cmd, path], run());
        let label = format!("{cmd} {what}");
        let msg = user_error(&label, &o);
        let lower = msg.to_lowercase();
        assert!(
            expect.iter().any(|e| lower.contains(&e.to_lowercase())),
            "{label}: the message should say {expect:?}: {msg}"
        );
    }
}

fn no_env() -> Run<'static> {
    Run::default()
}

// ---------------------------------------------------------------------------------------
// 1. Bad input matrix
// ---------------------------------------------------------------------------------------

#[test]
fn empty_and_whitespace_only_files_are_called_empty() {
    for name in ["empty.json", "whitespace.json"] {
        let path = bad(name);
        // The message names the file it is about.
        let o = ecsnet(&["check", p(&path)]);
        let msg = user_error(name, &o);
        assert!(
            msg.contains(&format!("{} is empty", p(&path))),
            "{name}: {msg}"
        );
        every_command_rejects(name, p(&path), no_env, &["is empty"]);
    }
}

#[test]
fn truncated_json_is_called_truncated() {
    every_command_rejects(
        "truncated.json",
        p(&bad("truncated.json")),
        no_env,
        &["truncated"],
    );
}

#[test]
fn hcl_text_is_not_json() {
    every_command_rejects("not-json.tf", p(&bad("not-json.tf")), no_env, &["not JSON"]);
}

#[test]
fn a_type_error_quoting_a_multi_line_fragment_stays_one_line() {
    // Found by the check_plan fuzz target: serde's "invalid type" error quotes the offending
    // value as pretty-printed JSON, which used to break the one-line error contract.
    every_command_rejects(
        "multiline-serde-error.json",
        p(&bad("multiline-serde-error.json")),
        no_env,
        &["not a valid Terraform plan", "found [ false ]"],
    );
}

#[test]
fn a_state_file_is_recognised_as_a_state() {
    every_command_rejects("state.json", p(&bad("state.json")), no_env, &["state"]);
}

#[test]
fn show_json_without_a_plan_or_state_is_recognised() {
    every_command_rejects(
        "show-empty.json",
        p(&bad("show-empty.json")),
        no_env,
        &["without a plan"],
    );
}

#[test]
fn providers_schema_output_is_recognised() {
    every_command_rejects(
        "providers-schema.json",
        p(&bad("providers-schema.json")),
        no_env,
        &["providers schema"],
    );
}

#[test]
fn hcp_redacted_plan_json_is_recognised() {
    every_command_rejects(
        "hcp-redacted.json",
        p(&bad("hcp-redacted.json")),
        no_env,
        &["redacted", "plan_format_version"],
    );
}

#[test]
fn format_version_2_is_rejected_by_version() {
    every_command_rejects(
        "format-v2.json",
        p(&bad("format-v2.json")),
        no_env,
        &["format_version 2.0"],
    );
}

#[test]
fn a_zip_without_terraform_says_how_to_point_at_terraform() {
    // ecsnet_with points ECSNET_TERRAFORM_BIN at a path that does not exist.
    every_command_rejects(
        "not-a-plan.zip (no terraform)",
        p(&bad("not-a-plan.zip")),
        no_env,
        &["--terraform-bin"],
    );
    // And with an empty PATH and no override, it says terraform/tofu is not on PATH.
    for cmd in PLAN_COMMANDS {
        let o = ecsnet_with(
            &[cmd, p(&bad("not-a-plan.zip"))],
            Run {
                env: vec![("PATH", "")],
                unset: vec!["ECSNET_TERRAFORM_BIN"],
                ..Run::default()
            },
        );
        let msg = user_error(&format!("{cmd} not-a-plan.zip (empty PATH)"), &o);
        assert!(msg.contains("PATH"), "{cmd}: {msg}");
    }
}

/// A stand-in for terraform that fails the way Terraform 1.x does on a zip that is not a
/// plan: a boxed, multi-line diagnostic on stderr whose last part carries the reason.
fn fake_terraform(dir: &Path, script_body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("terraform");
    std::fs::write(&bin, format!("#!/bin/sh\n{script_body}")).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

#[test]
fn a_zip_that_terraform_cannot_read_says_it_is_not_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let bin = fake_terraform(
        dir.path(),
        r#"cat >&2 <<'EOF'

╷
│ Error: Failed to read the given file as a state or plan file
│
│ State read error: Error reading the-file as a
│ statefile: 2 problems:
│
│ - Unsupported state file format: The state file could not be parsed as
│ JSON: syntax error at byte offset 1.
│
│ Plan read error: couldn't load the provided path as either a local plan
│ file (the given file is not a valid plan file) or a saved cloud plan
╵
EOF
exit 1
"#,
    );
    for cmd in PLAN_COMMANDS {
        let o = ecsnet_with(
            &[cmd, p(&bad("not-a-plan.zip"))],
            Run {
                env: vec![("ECSNET_TERRAFORM_BIN", p(&bin))],
                ..Run::default()
            },
        );
        let msg = user_error(&format!("{cmd} not-a-plan.zip (terraform fails)"), &o);
        // The reason that matters to the user is terraform's last sentence: the file is
        // not a plan. A message cut off after "Error reading the-file as a" hides it.
        assert!(
            msg.contains("not a valid plan file"),
            "{cmd}: the message should carry terraform's reason (not a valid plan file): {msg}"
        );
    }
}

#[test]
fn terraform_output_that_is_not_json_is_blamed_on_terraform() {
    let dir = tempfile::tempdir().unwrap();
    let bin = fake_terraform(
        dir.path(),
        "echo 'Usage: terraform show [options] [file]'\n",
    );
    for cmd in PLAN_COMMANDS {
        let o = ecsnet_with(
            &[cmd, p(&bad("not-a-plan.zip"))],
            Run {
                env: vec![("ECSNET_TERRAFORM_BIN", p(&bin))],
                ..Run::default()
            },
        );
        let msg = user_error(&format!("{cmd} not-a-plan.zip (terraform prints text)"), &o);
        // The zip itself was never meant to be JSON; what was not JSON is what terraform
        // printed, and the user needs to know it was terraform's output. The advice after
        // the first ": " mentions `terraform show -json` anyway, so look at the diagnosis.
        let diagnosis = msg.split(": ").next().unwrap();
        assert!(
            diagnosis.contains(p(&bin)) || diagnosis.contains("terraform"),
            "{cmd}: the message should say that terraform's output was not JSON: {msg}"
        );
    }
}

/// The first `name` found on PATH, as a user's shell would find it.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// A real binary plan, made by the terraform on this machine from a configuration that
/// needs no provider download (`terraform_data` is built in), read through
/// `--terraform-bin` from another directory.
#[test]
fn a_real_binary_plan_is_read_through_terraform() {
    let Some(terraform) = on_path("terraform").or_else(|| on_path("tofu")) else {
        skip_note!("a_real_binary_plan_is_read_through_terraform: no terraform or tofu on PATH");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    std::fs::write(
        work.path().join("main.tf"),
        "resource \"terraform_data\" \"x\" {\n  input = \"hello\"\n}\n",
    )
    .unwrap();
    for args in [
        &["init", "-input=false", "-no-color"][..],
        &["plan", "-input=false", "-no-color", "-out", "tfplan"][..],
    ] {
        let o = Command::new(&terraform)
            .args(args)
            .current_dir(work.path())
            .env("CHECKPOINT_DISABLE", "1")
            .output()
            .unwrap();
        if !o.status.success() {
            skip_note!(
                "a_real_binary_plan_is_read_through_terraform: `{} {}` failed here: {}",
                terraform.display(),
                args.join(" "),
                text(&o.stderr)
                    .lines()
                    .find(|l| l.contains("Error"))
                    .unwrap_or("")
            );
            return;
        }
    }
    let plan = work.path().join("tfplan");
    for cmd in PLAN_COMMANDS {
        let o = ecsnet(&[cmd, p(&plan), "--terraform-bin", p(&terraform)]);
        assert_no_crash(cmd, &o);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{cmd} tfplan: {}",
            text(&o.stderr)
        );
        assert!(!o.stdout.is_empty(), "{cmd}: no output");
    }
    let o = ecsnet(&[
        "check",
        p(&plan),
        "--terraform-bin",
        p(&terraform),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["plans"][0]["resources"], 1, "{}", v["plans"]);
}

/// CI templates often export a variable empty (`ECSNET_TERRAFORM_BIN: ${{ vars.TF_BIN }}`
/// with the variable unset). Empty means "not set": a JSON plan needs no terraform at all.
#[test]
fn an_empty_terraform_bin_variable_means_unset() {
    let clean = report_fixture("clean");
    for cmd in PLAN_COMMANDS {
        let o = ecsnet_with(
            &[cmd, p(&clean)],
            Run {
                env: vec![("ECSNET_TERRAFORM_BIN", "")],
                ..Run::default()
            },
        );
        assert_no_crash(cmd, &o);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{cmd} with ECSNET_TERRAFORM_BIN set empty on a JSON plan: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn a_nonexistent_path_is_named() {
    let missing = "/nonexistent/ecsnet-qa/plan.json";
    every_command_rejects(
        "nonexistent path",
        missing,
        no_env,
        &["no such file", "not found", "does not exist"],
    );
    let o = ecsnet(&["check", missing]);
    assert!(user_error("nonexistent", &o).contains(missing));
}

#[test]
fn a_directory_is_called_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    every_command_rejects("a directory", p(dir.path()), no_env, &["directory"]);
}

#[test]
fn an_unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("locked.json");
    std::fs::copy(report_fixture("clean"), &file).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&file).is_ok() {
        skip_note!(
            "an_unreadable_file_is_named: this process can read a mode-000 file (running as root), so the case cannot be produced here"
        );
        return;
    }
    every_command_rejects("mode 000 file", p(&file), no_env, &["permission"]);
}

/// A read that fails after the file was opened (EIO), which root cannot bypass: Linux's
/// `/proc/self/mem` refuses reads at offset 0.
#[test]
fn a_read_error_is_one_line() {
    let mem = Path::new("/proc/self/mem");
    if !mem.exists() {
        skip_note!("a_read_error_is_one_line: /proc/self/mem is absent on this system");
        return;
    }
    every_command_rejects("/proc/self/mem", p(mem), no_env, &["cannot read"]);
}

/// JSON nested 100000 levels deep, in the places a recursive parser or a recursive walk
/// over modules would overflow the stack.
#[test]
fn deep_nesting_never_crashes() {
    const N: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let open_close = |open: &str, inner: &str, close: &str| {
        let mut s = String::with_capacity((open.len() + close.len()) * N + inner.len());
        for _ in 0..N {
            s.push_str(open);
        }
        s.push_str(inner);
        for _ in 0..N {
            s.push_str(close);
        }
        s
    };
    let cases = [
        ("bare-arrays", open_close("[", "", "]")),
        ("bare-objects", open_close("{\"a\":", "1", "}")),
        (
            "resource-values",
            format!(
                r#"{{"format_version":"1.2","planned_values":{{"root_module":{{"resources":[{{"address":"aws_ecs_service.a","mode":"managed","type":"aws_ecs_service","name":"a","values":{{"name":"a","tags":{}}}}}]}}}}}}"#,
                open_close("[", "", "]")
            ),
        ),
        (
            "child-modules",
            format!(
                r#"{{"format_version":"1.2","planned_values":{{"root_module":{{"child_modules":[{}]}}}}}}"#,
                open_close(
                    r#"{"address":"module.m","child_modules":["#,
                    r#"{"address":"module.m"}"#,
                    "]}"
                )
            ),
        ),
        (
            "module-calls",
            format!(
                r#"{{"format_version":"1.2","planned_values":{{"root_module":{{}}}},"configuration":{{"root_module":{}}}}}"#,
                open_close(
                    r#"{"module_calls":{"m":{"source":"./m","module":"#,
                    "{}",
                    "}}}"
                )
            ),
        ),
        (
            "after-unknown",
            format!(
                r#"{{"format_version":"1.2","resource_changes":[{{"address":"aws_ecs_service.a","mode":"managed","type":"aws_ecs_service","name":"a","change":{{"actions":["create"],"before":null,"after":{{"name":"a"}},"after_unknown":{}}}}}]}}"#,
                open_close("{\"a\":", "true", "}")
            ),
        ),
    ];
    for (name, json) in &cases {
        let file = dir.path().join(format!("{name}.json"));
        std::fs::write(&file, json).unwrap();
        // Every case is corrupt input: not a plan at all, or a plan far deeper than any
        // Terraform writes.
        every_command_rejects(
            &format!("{name} nested {N} deep"),
            p(&file),
            no_env,
            &["deep", "not a"],
        );
    }

    // A container_definitions string nested 100000 deep is JSON inside JSON: the plan is
    // fine, the containers cannot be decoded. No crash, and check says so as unverifiable.
    let td = serde_json::json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [{
            "address": "aws_ecs_task_definition.t", "mode": "managed",
            "type": "aws_ecs_task_definition", "name": "t",
            "values": {"family": "t", "network_mode": "awsvpc",
                       "container_definitions": open_close("[", "", "]")}
        }]}}
    });
    let file = dir.path().join("deep-container-definitions.json");
    std::fs::write(&file, td.to_string()).unwrap();
    for cmd in PLAN_COMMANDS {
        let o = ecsnet(&[cmd, p(&file)]);
        assert_no_crash(&format!("{cmd} deep container_definitions"), &o);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{cmd}: {}",
            text(&o.stderr)
        );
    }
    let o = ecsnet(&["check", p(&file), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["unverifiable"] == true && d["address"] == "aws_ecs_task_definition.t"),
        "an undecodable container_definitions must be reported as unverifiable: {v}"
    );
}

/// UTF-16 with a byte-order mark is what PowerShell's `>` writes.
fn utf16(bytes: &[u8], big_endian: bool) -> Vec<u8> {
    let s = std::str::from_utf8(bytes).unwrap();
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in s.encode_utf16() {
        out.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_be_with_bom_is_decoded_before_it_is_judged() {
    // A state file in UTF-16 BE must be called a state, not "not JSON".
    every_command_rejects(
        "utf16be-bom-state.json",
        p(&bad("utf16be-bom-state.json")),
        no_env,
        &["state"],
    );
}

#[test]
fn utf16_and_utf8_bom_plans_read_like_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read(report_fixture("mixed")).unwrap();
    let reference = ecsnet(&["check", p(&report_fixture("mixed")), "--format", "json"]);
    let diags = |o: &Output| -> serde_json::Value {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("json report: {e}: {}", text(&o.stderr)));
        let mut d = v["diagnostics"].clone();
        // Each points at its own file (a UTF-16 file's columns count the UTF-8 text's bytes).
        for one in d.as_array_mut().unwrap() {
            assert_eq!(one["location"]["kind"], "plan", "{one}");
            one["location"] = serde_json::Value::Null;
        }
        d
    };
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend(&plain);
    for (name, bytes) in [
        ("utf16be.json", utf16(&plain, true)),
        ("utf16le.json", utf16(&plain, false)),
        ("utf8bom.json", bom8),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, &bytes).unwrap();
        let o = ecsnet(&["check", p(&file), "--format", "json"]);
        assert_no_crash(name, &o);
        assert_eq!(
            o.status.code(),
            reference.status.code(),
            "{name}: {}",
            text(&o.stderr)
        );
        assert_eq!(
            diags(&o),
            diags(&reference),
            "{name}: same findings as UTF-8"
        );
        for cmd in ["inventory", "capacity"] {
            let o = ecsnet(&[cmd, p(&file)]);
            assert_no_crash(name, &o);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{cmd} {name}: {}",
                text(&o.stderr)
            );
        }
    }
}

#[test]
fn binary_garbage_is_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("garbage.bin");
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&file, bytes).unwrap();
    every_command_rejects(
        "binary garbage",
        p(&file),
        no_env,
        &["not UTF-8", "not JSON", "not text", "not valid UTF-16"],
    );
}

#[test]
fn json_that_is_not_an_object_or_not_a_plan_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    for (name, json) in [
        ("null", "null"),
        ("number", "42"),
        ("string", "\"plan\""),
        ("array", "[]"),
        ("empty-object", "{}"),
        (
            "planned-values-array",
            r#"{"format_version":"1.2","planned_values":[]}"#,
        ),
        (
            "resource-changes-object",
            r#"{"format_version":"1.2","resource_changes":{}}"#,
        ),
    ] {
        let file = dir.path().join(format!("{name}.json"));
        std::fs::write(&file, json).unwrap();
        every_command_rejects(name, p(&file), no_env, &["not a", "without a plan"]);
    }
}

#[test]
fn stdin_bad_input_is_named_stdin() {
    let state = std::fs::read(bad("state.json")).unwrap();
    let truncated = std::fs::read(bad("truncated.json")).unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty stdin", b"", "empty"),
        ("whitespace stdin", b" \n\t\n", "empty"),
        ("state on stdin", &state, "state"),
        ("truncated stdin", &truncated, "truncated"),
    ];
    for (what, bytes, expect) in cases {
        for cmd in PLAN_COMMANDS {
            let o = ecsnet_with(
                &[cmd, "-"],
                Run {
                    stdin: Some(bytes),
                    ..Run::default()
                },
            );
            let msg = user_error(&format!("{cmd} {what}"), &o);
            assert!(msg.contains("stdin"), "{cmd} {what}: name the input: {msg}");
            assert!(msg.contains(expect), "{cmd} {what}: say {expect:?}: {msg}");
        }
    }
    // `-` twice cannot work: stdin can be read once.
    let clean = std::fs::read(report_fixture("clean")).unwrap();
    for cmd in PLAN_COMMANDS {
        let o = ecsnet_with(
            &[cmd, "-", "-"],
            Run {
                stdin: Some(&clean),
                ..Run::default()
            },
        );
        user_error(&format!("{cmd} - -"), &o);
    }
}

#[test]
fn stdin_good_plan_works() {
    let clean = std::fs::read(report_fixture("clean")).unwrap();
    for cmd in PLAN_COMMANDS {
        let o = ecsnet_with(
            &[cmd, "-"],
            Run {
                stdin: Some(&clean),
                ..Run::default()
            },
        );
        assert_no_crash(cmd, &o);
        assert_eq!(o.status.code(), Some(0), "{cmd} -: {}", text(&o.stderr));
        assert!(!o.stdout.is_empty(), "{cmd} -: no output");
    }
}

#[test]
fn one_bad_plan_among_good_ones_fails_the_run_and_is_named() {
    let good = report_fixture("clean");
    let broken = bad("truncated.json");
    for cmd in PLAN_COMMANDS {
        let o = ecsnet(&[cmd, p(&good), p(&broken)]);
        let msg = user_error(&format!("{cmd} good+bad"), &o);
        assert!(
            msg.contains("truncated.json"),
            "{cmd}: name the bad file: {msg}"
        );
    }
}

#[test]
fn a_document_without_a_plan_section_fails_closed() {
    // Each used to pass as "No findings (0 resources)".
    for name in [
        "prior-state-null.json",
        "planned-values-null.json",
        "configuration-only.json",
    ] {
        every_command_rejects(
            name,
            p(&bad(name)),
            no_env,
            &["no `planned_values` object and no `resource_changes` list"],
        );
    }
}

#[test]
fn format_version_must_be_major_dot_minor_with_major_0_or_1() {
    for (name, shown) in [
        ("format-version-negative.json", r#""-1.0""#),
        ("format-version-letters.json", r#""a.b""#),
        ("format-version-empty.json", r#""""#),
    ] {
        every_command_rejects(
            name,
            p(&bad(name)),
            no_env,
            &[&format!(
                "`format_version` {shown}, which is not a plan format version"
            )],
        );
    }
}

#[test]
fn a_section_of_the_wrong_type_is_named_and_its_value_escaped() {
    let path = bad("planned-values-string.json");
    every_command_rejects(
        "planned-values-string.json",
        p(&path),
        no_env,
        &["expected a values object with root_module"],
    );
    let msg = user_error("check", &ecsnet(&["check", p(&path)]));
    assert!(msg.contains("in `planned_values`"), "{msg}");
    assert!(msg.contains(r"\u{1b}]0;owned\u{7}"), "{msg}");
    assert!(!msg.contains(|c: char| c.is_control()), "{msg:?}");
}

#[test]
fn a_huge_value_is_quoted_as_a_short_excerpt() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.json");
    let huge = "x".repeat(20 << 20);
    std::fs::write(
        &file,
        format!(r#"{{"format_version":"1.2","planned_values":"{huge}"}}"#),
    )
    .unwrap();
    for cmd in PLAN_COMMANDS {
        let msg = user_error(cmd, &ecsnet(&[cmd, p(&file)]));
        assert!(msg.len() < 600, "{cmd}: {} bytes of error", msg.len());
        assert!(msg.contains("in `planned_values`"), "{cmd}: {msg}");
    }
}

#[test]
fn an_unreadable_max_plan_bytes_is_an_error_and_suffixes_are_sizes() {
    let plan = report_fixture("clean");
    for bad_value in ["abc", "10X", "0", "-5", "1.5M", " "] {
        for cmd in PLAN_COMMANDS {
            let o = ecsnet_with(
                &[cmd, p(&plan)],
                Run {
                    env: vec![("ECSNET_MAX_PLAN_BYTES", bad_value)],
                    ..Run::default()
                },
            );
            let msg = user_error(&format!("{cmd} ECSNET_MAX_PLAN_BYTES={bad_value}"), &o);
            assert!(msg.contains("ECSNET_MAX_PLAN_BYTES"), "{msg}");
        }
    }
    let size = std::fs::metadata(&plan).unwrap().len();
    // 1K is below the plan's size, 10M above: the suffix is applied, not ignored.
    assert!(size > 1024 && size < 10 << 20);
    let small = ecsnet_with(
        &["check", p(&plan)],
        Run {
            env: vec![("ECSNET_MAX_PLAN_BYTES", "1K")],
            ..Run::default()
        },
    );
    assert!(user_error("1K", &small).contains("1024-byte input limit"));
    for ok in ["10M", "10MiB", &(size).to_string(), ""] {
        let o = ecsnet_with(
            &["check", p(&plan)],
            Run {
                env: vec![("ECSNET_MAX_PLAN_BYTES", ok)],
                ..Run::default()
            },
        );
        assert_eq!(o.status.code(), Some(0), "{ok}: {}", text(&o.stderr));
    }
}

#[test]
fn a_device_or_an_endless_stream_is_refused_without_reading_it_whole() {
    // /dev/zero used to be read up to the 2 GiB limit first; now it is refused after its
    // first 64 KiB (the message says reading stopped).
    let zeros = vec![0u8; 8 << 20];
    for cmd in PLAN_COMMANDS {
        let o = ecsnet(&[cmd, "/dev/zero"]);
        let msg = user_error(&format!("{cmd} /dev/zero"), &o);
        assert!(msg.contains("stopped reading"), "{msg}");
        let o = ecsnet_with(
            &[cmd, "-"],
            Run {
                stdin: Some(&zeros),
                ..Run::default()
            },
        );
        let msg = user_error(&format!("{cmd} zeros on stdin"), &o);
        assert!(
            msg.contains("stdin") && msg.contains("stopped reading"),
            "{msg}"
        );
    }
    // The size limit applies while a stream is read: a plan-like stream past it is refused.
    let mut long = b"{\"planned_values\":{\"root_module\":{}},\"x\":\"".to_vec();
    long.resize(4 << 20, b'a');
    let o = ecsnet_with(
        &["check", "-"],
        Run {
            stdin: Some(&long),
            env: vec![("ECSNET_MAX_PLAN_BYTES", "1M")],
            ..Run::default()
        },
    );
    assert!(user_error("long stdin", &o).contains("1048576-byte input limit"));
}

// ---------------------------------------------------------------------------------------
// 2. Real plans
// ---------------------------------------------------------------------------------------

fn real_plans() -> Option<Vec<PathBuf>> {
    let dir = repo().join("../shared/realplans");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Some(files)
}

const CANARY: &str = "CANARY-SENSITIVE";

#[test]
fn every_command_on_every_real_plan_exits_0_or_1_and_leaks_nothing() {
    let Some(files) = real_plans() else {
        skip_note!("../shared/realplans is absent (real-plan corpus not available here)");
        return;
    };
    assert!(
        files.len() >= 29,
        "expected the 29 real plans, found {}",
        files.len()
    );
    let invocations: [&[&str]; 9] = [
        &["check", "--format", "text"],
        &["check", "--format", "json"],
        &["check", "--format", "sarif"],
        &["check", "--format", "junit"],
        &["check", "--format", "github"],
        &["inventory", "--format", "text"],
        &["inventory", "--format", "json"],
        &["capacity", "--format", "text"],
        &["capacity", "--format", "json"],
    ];
    let mut problems = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy();
        for args in invocations {
            let mut argv: Vec<&str> = args.to_vec();
            argv.push(p(file));
            let o = ecsnet(&argv);
            let label = format!("{} on {name}", args.join(" "));
            assert_no_crash(&label, &o);
            if !matches!(o.status.code(), Some(0 | 1)) {
                problems.push(format!(
                    "{label}: exit {:?}: {}",
                    o.status.code(),
                    text(&o.stderr).trim()
                ));
            }
            if text(&o.stdout).contains(CANARY) || text(&o.stderr).contains(CANARY) {
                problems.push(format!("{label}: output contains {CANARY}"));
            }
            if args.contains(&"json") && o.status.code() != Some(2) {
                if let Err(e) = serde_json::from_slice::<serde_json::Value>(&o.stdout) {
                    problems.push(format!("{label}: --format json is not JSON: {e}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn check_on_all_real_plans_at_once() {
    let Some(files) = real_plans() else {
        skip_note!("../shared/realplans is absent (real-plan corpus not available here)");
        return;
    };
    let mut argv = vec!["check", "--format", "json"];
    argv.extend(files.iter().map(|f| p(f)));
    let o = ecsnet(&argv);
    assert_no_crash("check on all real plans", &o);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        o.status.code(),
        text(&o.stderr)
    );
    assert!(!text(&o.stdout).contains(CANARY) && !text(&o.stderr).contains(CANARY));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["plans"].as_array().map(Vec::len),
        Some(files.len()),
        "every plan is listed in the report"
    );
    // The exit code agrees with the report's own verdict.
    let failed = v["summary"]["failed"].as_bool().unwrap();
    assert_eq!(o.status.code(), Some(if failed { 1 } else { 0 }));

    // The text report of all plans at once too: it groups findings by plan, a different
    // path from the JSON report's flat list.
    let mut argv = vec!["check", "--format", "text"];
    argv.extend(files.iter().map(|f| p(f)));
    let o = ecsnet(&argv);
    assert_no_crash("check text on all real plans", &o);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        text(&o.stderr)
    );
    assert!(!text(&o.stdout).contains(CANARY));
}

// ---------------------------------------------------------------------------------------
// 3. Help, version, usage errors
// ---------------------------------------------------------------------------------------

const SUBCOMMANDS: [&str; 7] = [
    "check",
    "inventory",
    "capacity",
    "explain",
    "rules",
    "instance-type",
    "serve",
];

#[test]
fn every_subcommand_help_has_an_example() {
    let mut missing = Vec::new();
    for cmd in SUBCOMMANDS {
        let o = ecsnet(&[cmd, "--help"]);
        assert_no_crash(cmd, &o);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{cmd} --help: {}",
            text(&o.stderr)
        );
        let help = text(&o.stdout);
        // An example is a section headed "Example(s)" holding a command line that runs
        // ecsnet; the `Usage:` line alone teaches nothing.
        let has_heading = help.lines().any(|l| l.trim_start().starts_with("Example"));
        let has_command = help
            .lines()
            .filter(|l| !l.trim_start().starts_with("Usage:"))
            .any(|l| l.contains(&format!("ecsnet {cmd}")) || l.contains("| ecsnet "));
        if !(has_heading && has_command) {
            missing.push(format!("{cmd} --help:\n{help}"));
        }
    }
    assert!(
        missing.is_empty(),
        "help without an example:\n{}",
        missing.join("\n---\n")
    );
}

#[test]
fn top_level_help_and_version() {
    let o = ecsnet(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = text(&o.stdout);
    for cmd in SUBCOMMANDS {
        assert!(help.contains(cmd), "top-level help lists {cmd}:\n{help}");
    }
    assert!(
        help.contains("ecsnet check"),
        "top-level help shows typical use:\n{help}"
    );

    let o = ecsnet(&["-V"]);
    assert_eq!(o.status.code(), Some(0), "-V: {}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout).trim(),
        format!("ecsnet {}", env!("CARGO_PKG_VERSION"))
    );
    // --version adds the edition and date of every embedded data table.
    let o = ecsnet(&["--version"]);
    assert_eq!(o.status.code(), Some(0), "--version: {}", text(&o.stderr));
    let long = text(&o.stdout);
    assert!(
        long.starts_with(&format!(
            "ecsnet {}\ndata tables:\n",
            env!("CARGO_PKG_VERSION")
        )),
        "{long}"
    );
    for want in [
        "EC2 ENI limits: getmoto/moto 5.2.6",
        "ECS ENI trunking: ECS developer guide container-instance-eni.md, 2023-04-18",
    ] {
        assert!(long.contains(want), "{want}:\n{long}");
    }
}

/// A usage error is exit 2 with clap's message; not one line (clap adds usage), but it
/// must start with `error:` and never panic.
fn usage_error(what: &str, o: &Output) {
    assert_no_crash(what, o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{what}: stdout:\n{}\nstderr:\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert!(o.stdout.is_empty(), "{what}: stdout: {}", text(&o.stdout));
    assert!(
        text(&o.stderr).starts_with("error:"),
        "{what}: {}",
        text(&o.stderr)
    );
}

#[test]
fn unknown_flags_and_bad_values_exit_2() {
    let clean = report_fixture("clean");
    usage_error("top-level unknown flag", &ecsnet(&["--no-such-flag"]));
    usage_error("unknown subcommand", &ecsnet(&["frobnicate"]));
    for cmd in SUBCOMMANDS {
        usage_error(
            &format!("{cmd} --no-such-flag"),
            &ecsnet(&[cmd, "--no-such-flag"]),
        );
    }
    for cmd in PLAN_COMMANDS {
        usage_error(&format!("{cmd} without a plan"), &ecsnet(&[cmd]));
        usage_error(
            &format!("{cmd} --format xml"),
            &ecsnet(&[cmd, p(&clean), "--format", "xml"]),
        );
    }
    usage_error(
        "check --fail-on sometimes",
        &ecsnet(&["check", p(&clean), "--fail-on", "sometimes"]),
    );
    usage_error(
        "check --format sarif for inventory",
        &ecsnet(&["inventory", p(&clean), "--format", "sarif"]),
    );
}

#[test]
fn explain_and_instance_type_reject_unknown_names() {
    let o = ecsnet(&["explain", "NET999"]);
    let msg = user_error("explain NET999", &o);
    assert!(
        msg.contains("NET999") && msg.contains("ecsnet rules"),
        "{msg}"
    );
    let o = ecsnet(&["instance-type", "z9.mega"]);
    let msg = user_error("instance-type z9.mega", &o);
    assert!(msg.contains("z9.mega"), "{msg}");
}

#[test]
fn instance_type_applies_the_configuration_and_names_editions() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("ci.hcl");
    std::fs::write(
        &cfg,
        "instance_type \"z9.mega\" {\n  max_enis = 6\n  awsvpc_tasks_trunked = 50\n}\n",
    )
    .unwrap();
    let o = ecsnet(&[
        "instance-type",
        "z9.mega",
        "--config",
        p(&cfg),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["awsvpc_tasks_without_trunking"], 5);
    assert_eq!(v["awsvpc_tasks_with_trunking"], 50);
    assert_eq!(v["overridden_at"], format!("{}:1", p(&cfg)));
    assert!(
        v["data_editions"].as_array().is_some_and(|e| e.len() == 4),
        "{v}"
    );
    // A bad block is the configuration error, with file and line.
    std::fs::write(&cfg, "\ninstance_type \"c5.large\" {\n  max_enis = 0\n}\n").unwrap();
    let o = ecsnet(&["instance-type", "c5.large", "--config", p(&cfg)]);
    let msg = user_error("instance-type with a bad block", &o);
    assert!(
        msg.starts_with(&format!("{}:3: max_enis = 0", p(&cfg))),
        "{msg}"
    );
}

// ---------------------------------------------------------------------------------------
// 4. --output and the JSON report
// ---------------------------------------------------------------------------------------

#[test]
fn output_writes_the_file_and_prints_nothing() {
    let mixed = report_fixture("mixed");
    let dir = tempfile::tempdir().unwrap();
    let runs: [(&[&str], &str); 9] = [
        (&["check", "--format", "text"], "check.txt"),
        (&["check", "--format", "json"], "check.json"),
        (&["check", "--format", "sarif"], "check.sarif"),
        (&["check", "--format", "junit"], "check.xml"),
        (&["check", "--format", "github"], "check.github"),
        (&["inventory", "--format", "text"], "inventory.txt"),
        (&["inventory", "--format", "json"], "inventory.json"),
        (&["capacity", "--format", "text"], "capacity.txt"),
        (&["capacity", "--format", "json"], "capacity.json"),
    ];
    for (args, file) in runs {
        let out = dir.path().join(file);
        let mut argv = args.to_vec();
        argv.extend([p(&mixed), "--output", p(&out)]);
        let o = ecsnet(&argv);
        let label = args.join(" ");
        assert_no_crash(&label, &o);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{label}: {}",
            text(&o.stderr)
        );
        assert!(
            o.stdout.is_empty(),
            "{label} --output: nothing on stdout, got:\n{}",
            text(&o.stdout)
        );
        let written = std::fs::read(&out).unwrap_or_else(|e| panic!("{label}: {file}: {e}"));
        assert!(!written.is_empty(), "{label}: {file} is empty");
        // What goes to the file is what would have gone to stdout.
        let direct = ecsnet(&[args, &[p(&mixed)][..]].concat());
        assert_eq!(written, direct.stdout, "{label}: file and stdout differ");
        if file.ends_with(".json") || file.ends_with(".sarif") {
            serde_json::from_slice::<serde_json::Value>(&written)
                .unwrap_or_else(|e| panic!("{label}: {file} is not JSON: {e}"));
        }
    }
    // The short flag works too.
    let out = dir.path().join("short.json");
    let o = ecsnet(&["check", p(&mixed), "--format", "json", "-o", p(&out)]);
    assert!(o.stdout.is_empty() && out.exists());
}

#[test]
fn output_to_an_unwritable_place_is_one_error_line() {
    let mixed = report_fixture("mixed");
    let dir = tempfile::tempdir().unwrap();
    let msg = user_error(
        "--output into a missing directory",
        &ecsnet(&[
            "check",
            p(&mixed),
            "--output",
            "/nonexistent/ecsnet-qa/out.json",
        ]),
    );
    assert!(msg.contains("/nonexistent/ecsnet-qa/out.json"), "{msg}");
    let msg = user_error(
        "--output naming a directory",
        &ecsnet(&["check", p(&mixed), "--output", p(dir.path())]),
    );
    // The advice must fit the case: the directory exists; the path names a directory.
    assert!(msg.to_lowercase().contains("directory"), "{msg}");
    assert!(
        !msg.contains("check that the directory exists"),
        "--output naming an existing directory gets advice for a missing one: {msg}"
    );
}

#[test]
fn json_report_has_the_documented_shape() {
    for (fixture, expect_findings) in [("mixed", true), ("clean", false)] {
        let o = ecsnet(&["check", p(&report_fixture(fixture)), "--format", "json"]);
        assert_no_crash(fixture, &o);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{fixture}: {e}\n{}", text(&o.stdout)));
        for key in ["version", "tool", "plans", "diagnostics", "summary"] {
            assert!(v.get(key).is_some(), "{fixture}: no `{key}` in {v}");
        }
        assert_eq!(v["version"], 1, "{fixture}");
        assert_eq!(v["tool"]["name"], "ecsnet", "{fixture}: {}", v["tool"]);
        assert_eq!(v["plans"].as_array().unwrap().len(), 1, "{fixture}");
        let diags = v["diagnostics"].as_array().unwrap();
        assert_eq!(
            diags.iter().any(|d| d["severity"] == "error"),
            expect_findings,
            "{fixture}: {v}"
        );
        for d in diags {
            for key in ["rule", "severity", "address", "attribute", "message"] {
                assert!(
                    d.get(key).is_some(),
                    "{fixture}: diagnostic without `{key}`: {d}"
                );
            }
            let rule = d["rule"].as_str().unwrap();
            assert!(
                rule.len() == 6 && rule.starts_with("NET"),
                "{fixture}: rule id {rule}"
            );
            assert!(
                ["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()),
                "{fixture}: {d}"
            );
        }
        // The summary counts what the diagnostics hold.
        let count = |sev: &str| diags.iter().filter(|d| d["severity"] == sev).count() as u64;
        assert_eq!(
            v["summary"]["errors"].as_u64(),
            Some(count("error")),
            "{fixture}"
        );
        assert_eq!(
            v["summary"]["warnings"].as_u64(),
            Some(count("warning")),
            "{fixture}"
        );
        assert_eq!(
            v["summary"]["infos"].as_u64(),
            Some(count("info")),
            "{fixture}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// 5. Exit codes
// ---------------------------------------------------------------------------------------

#[test]
fn exit_codes_follow_fail_on() {
    let mixed = report_fixture("mixed");
    let clean = report_fixture("clean");
    let code = |args: &[&str]| {
        let o = ecsnet(args);
        assert_no_crash(&args.join(" "), &o);
        o.status.code().unwrap()
    };
    assert_eq!(
        code(&["check", p(&mixed)]),
        1,
        "an error finding with the default fail-on"
    );
    assert_eq!(code(&["check", p(&mixed), "--fail-on", "error"]), 1);
    assert_eq!(code(&["check", p(&mixed), "--fail-on", "warning"]), 1);
    assert_eq!(code(&["check", p(&mixed), "--fail-on", "info"]), 1);
    assert_eq!(code(&["check", p(&mixed), "--fail-on", "never"]), 0);
    assert_eq!(code(&["check", p(&clean)]), 0, "a clean plan");
    assert_eq!(code(&["check", p(&clean), "--fail-on", "never"]), 0);
    // The format does not change the verdict.
    for format in ["json", "sarif", "junit", "github"] {
        assert_eq!(
            code(&["check", p(&mixed), "--format", format]),
            1,
            "{format}"
        );
        assert_eq!(
            code(&["check", p(&clean), "--format", format]),
            0,
            "{format}"
        );
    }
    // inventory and capacity report; they do not gate.
    for cmd in ["inventory", "capacity"] {
        assert_eq!(code(&[cmd, p(&mixed)]), 0, "{cmd} on a plan with findings");
    }
}

/// Every scenario plan: the exit code is the report's own verdict, and `--fail-on never`
/// always passes. Catches a gate that disagrees with what it prints.
#[test]
fn exit_code_agrees_with_the_report_on_every_scenario_plan() {
    let root = repo().join("testdata/scenarios");
    let mut fixtures = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                dirs.push(path);
            } else if name.starts_with("plan") && name.ends_with(".json") {
                fixtures.push(path);
            }
        }
    }
    fixtures.sort();
    assert!(
        fixtures.len() > 100,
        "scenario plans found: {}",
        fixtures.len()
    );
    let mut problems = Vec::new();
    for f in &fixtures {
        let name = f.strip_prefix(&root).unwrap().display().to_string();
        let o = ecsnet(&["check", p(f), "--format", "json", "--fail-on", "warning"]);
        assert_no_crash(&name, &o);
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(&o.stdout) else {
            problems.push(format!(
                "{name}: exit {:?}: {}",
                o.status.code(),
                text(&o.stderr).trim()
            ));
            continue;
        };
        let failed = v["summary"]["failed"].as_bool().unwrap_or(false);
        let reached = v["diagnostics"].as_array().unwrap().iter().any(|d| {
            d["suppressed"].is_null() && matches!(d["severity"].as_str(), Some("error" | "warning"))
        });
        if failed != reached || o.status.code() != Some(if failed { 1 } else { 0 }) {
            problems.push(format!(
                "{name}: exit {:?}, summary.failed {failed}, error/warning present {reached}",
                o.status.code()
            ));
        }
        let never = ecsnet(&["check", p(f), "--fail-on", "never"]);
        if never.status.code() != Some(0) {
            problems.push(format!(
                "{name}: --fail-on never exits {:?}: {}",
                never.status.code(),
                text(&never.stderr).trim()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------
// What a careful reader of the findings notices
// ---------------------------------------------------------------------------------------

/// A one-resource plan in the real format (planned_values and resource_changes agree).
fn one_task_definition_plan(values: serde_json::Value) -> serde_json::Value {
    let resource = serde_json::json!({
        "address": "aws_ecs_task_definition.t", "mode": "managed",
        "type": "aws_ecs_task_definition", "name": "t",
        "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 1,
        "values": values, "sensitive_values": {}
    });
    serde_json::json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": [resource]}},
        "resource_changes": [{
            "address": "aws_ecs_task_definition.t", "mode": "managed",
            "type": "aws_ecs_task_definition", "name": "t",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": null, "after": values,
                       "after_unknown": {"arn": true, "id": true, "revision": true},
                       "before_sensitive": false, "after_sensitive": {}}
        }],
        "configuration": {"root_module": {"resources": []}}
    })
}

/// `network_mode = "default"` is not in the RegisterTaskDefinition enum (awsvpc, bridge,
/// host, none): Windows' default mode is chosen by omitting the attribute. NET001's own
/// documentation says so; the plan must not pass silently on Linux or Windows.
#[test]
fn an_explicit_default_network_mode_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let containers =
        serde_json::json!([{"name": "app", "image": "example/app:1", "essential": true}]);
    for (os, platform) in [
        ("linux", serde_json::json!([])),
        (
            "windows",
            serde_json::json!([{"operating_system_family": "WINDOWS_SERVER_2019_FULL", "cpu_architecture": "X86_64"}]),
        ),
    ] {
        let plan = one_task_definition_plan(serde_json::json!({
            "family": "t", "network_mode": "default", "requires_compatibilities": ["EC2"],
            "runtime_platform": platform, "container_definitions": containers.to_string()
        }));
        let file = dir.path().join(format!("default-{os}.json"));
        std::fs::write(&file, plan.to_string()).unwrap();
        let o = ecsnet(&["check", p(&file), "--format", "json"]);
        assert_no_crash(os, &o);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{os}: {e}: {}", text(&o.stderr)));
        let net001 = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["rule"] == "NET001" && d["severity"] == "error");
        assert!(
            net001,
            "{os}: network_mode \"default\" written explicitly must be a NET001 error: {}",
            v["diagnostics"]
        );
        assert_eq!(o.status.code(), Some(1), "{os}");
    }
}

/// Two module instances hold resources with the same relative address
/// (`module.checkout["blue"].aws_ecs_service.this` and `...["green"]...`, the blue/green
/// scenario after its cut-over). The capacity arithmetic must name services so a reader can
/// tell them apart.
#[test]
fn capacity_arithmetic_names_module_instances_unambiguously() {
    let plan = repo().join(BLUE_GREEN_CUTOVER);
    let o = ecsnet(&["capacity", p(&plan)]);
    assert_no_crash("capacity blue-green", &o);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let subnet_row = out
        .lines()
        .find(|l| l.trim_start().starts_with(PAYMENTS_SUBNET))
        .unwrap_or_else(|| panic!("no row for {PAYMENTS_SUBNET}:\n{out}"));
    for service in [
        "module.checkout[\"blue\"].aws_ecs_service.this",
        "module.checkout[\"green\"].aws_ecs_service.this",
    ] {
        assert!(
            subnet_row.contains(service),
            "the subnet arithmetic should name {service}, not a bare `aws_ecs_service.this` shared by two module instances:\n{subnet_row}"
        );
    }

    // The same in check's NET072 finding, which names the subnet by its full address
    // (the keyed data source instance, not `data.aws_subnet.payments`).
    let o = ecsnet(&["check", p(&plan), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let net072 = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "NET072" && d["unverifiable"] != true)
        .unwrap_or_else(|| panic!("the cut-over has a NET072 finding: {}", v["diagnostics"]))
        .clone();
    let said = format!(
        "{} {}",
        net072["message"].as_str().unwrap_or_default(),
        net072["detail"].as_str().unwrap_or_default()
    );
    assert!(
        said.contains(PAYMENTS_SUBNET),
        "NET072 should name the subnet by its full address: {said}"
    );
}

/// `ecsnet check staging.json prod.json`: two plans of the same configuration (two
/// workspaces) hold resources with the same addresses, but they are different subnets in
/// different VPCs. Checking both together must give each plan the findings it gets alone:
/// the subnet demand of one environment is not added to the other's.
#[test]
fn plans_checked_together_do_not_share_subnet_demand() {
    let dir = tempfile::tempdir().unwrap();
    let plan = std::fs::read(repo().join(BLUE_GREEN_CUTOVER)).unwrap();
    let staging = dir.path().join("staging.json");
    let prod = dir.path().join("prod.json");
    std::fs::write(&staging, &plan).unwrap();
    std::fs::write(&prod, &plan).unwrap();

    // (rule, message) of every finding, for one plan index.
    let findings = |v: &serde_json::Value, plan: u64| -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["plan"].as_u64() == Some(plan))
            .map(|d| (d["rule"].to_string(), d["message"].to_string()))
            .collect();
        out.sort();
        out
    };
    let alone = ecsnet(&["check", p(&staging), "--format", "json"]);
    let alone: serde_json::Value = serde_json::from_slice(&alone.stdout).unwrap();
    let together = ecsnet(&["check", p(&staging), p(&prod), "--format", "json"]);
    let together: serde_json::Value = serde_json::from_slice(&together.stdout).unwrap();
    let expected = findings(&alone, 0);
    assert!(!expected.is_empty());
    for plan in [0, 1] {
        let got = findings(&together, plan);
        let extra: Vec<_> = got.iter().filter(|f| !expected.contains(f)).collect();
        let missing: Vec<_> = expected.iter().filter(|f| !got.contains(f)).collect();
        assert!(
            extra.is_empty() && missing.is_empty(),
            "plan {plan} checked together with a second plan differs from the plan checked alone:\n  only together: {extra:?}\n  only alone: {missing:?}"
        );
    }

    // capacity shows the same demand per subnet as for one plan.
    let peaks = |args: &[&str]| -> Vec<serde_json::Value> {
        let o = ecsnet(args);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", text(&o.stderr)));
        v["subnets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| serde_json::json!([s["subnet"], s["peak"]]))
            .collect()
    };
    let one = peaks(&["capacity", p(&staging), "--format", "json"]);
    let two = peaks(&["capacity", p(&staging), p(&prod), "--format", "json"]);
    for row in &two {
        assert!(
            one.contains(row),
            "capacity of two plans shows subnet demand {row} that neither plan has alone ({one:?})"
        );
    }
}

/// `ecsnet check plan.json -o plan.json` (a slip of the fingers) must not replace the plan
/// with the report: refuse with a usage error and leave the plan as it was.
#[test]
fn output_onto_an_input_plan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let original = std::fs::read(report_fixture("mixed")).unwrap();
    for cmd in PLAN_COMMANDS {
        std::fs::write(&plan, &original).unwrap();
        let o = ecsnet(&[cmd, p(&plan), "--output", p(&plan)]);
        let msg = user_error(&format!("{cmd} --output onto its input"), &o);
        assert!(msg.contains("plan.json"), "{cmd}: {msg}");
        assert_eq!(
            std::fs::read(&plan).unwrap(),
            original,
            "{cmd}: the plan was overwritten by --output"
        );
    }
}
