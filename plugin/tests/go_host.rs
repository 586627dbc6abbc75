//! A real go-plugin host (examples/go-host, hashicorp/go-plugin 1.0.1 from Debian's
//! packages) launches ecsnet with AutoMTLS, validates a plan and shuts it down. Skips with a
//! visible message where Go or the go-plugin sources are absent.

#[macro_use]
#[path = "support/skip.rs"]
mod skip;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn go_available() -> bool {
    let go = Command::new("go").arg("version").output();
    if !go.is_ok_and(|o| o.status.success()) {
        skip_note!("the Go host test: `go` is not installed (apt-get install golang-go golang-github-hashicorp-go-plugin-dev golang-google-grpc-dev golang-github-golang-protobuf-1-5-dev golang-golang-x-net-dev)");
        return false;
    }
    let gopath = std::env::var("GOPATH_DEBIAN").unwrap_or_else(|_| "/usr/share/gocode".into());
    if !Path::new(&gopath)
        .join("src/github.com/hashicorp/go-plugin")
        .exists()
    {
        skip_note!("the Go host test: go-plugin sources are not in {gopath} (apt-get install golang-github-hashicorp-go-plugin-dev)");
        return false;
    }
    true
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn go_host(plan: &Path, extra: &[&str]) -> Run {
    let out = Command::new(repo_root().join("examples/go-host/run.sh"))
        .arg(plan)
        .args(extra)
        .env("ECSNET_BIN", env!("CARGO_BIN_EXE_ecsnet"))
        .env_remove("ECSNET_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("run examples/go-host/run.sh");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn cli(plan: &Path, extra: &[&str]) -> (serde_json::Value, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_ecsnet"))
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(plan)
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn go_plugin_host_validates_through_automtls() {
    if !go_available() {
        return;
    }
    // The EC2 estate built from modules (a plan made by real Terraform), with findings.
    let plan = repo_root().join("testdata/scenarios/foundation/ec2-modules/plan.json");
    // Both RPCs, as a host sends small plans and large ones.
    for (fail_on, stream) in [("error", "never"), ("info", "never"), ("info", "always")] {
        let run = go_host(&plan, &["-fail-on", fail_on, "-stream", stream]);
        let (report, code) = cli(&plan, &["--fail-on", fail_on]);
        let rpc = if stream == "always" {
            "through ValidatePlanStream in"
        } else {
            "through ValidatePlan in"
        };
        assert!(run.stdout.contains(rpc), "{rpc}: {}", run.stdout);
        assert_eq!(
            run.code, code,
            "same exit code as `ecsnet check --fail-on {fail_on}`; stdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        );
        assert!(
            run.stdout.contains("(AutoMTLS, protocol 1)"),
            "{}",
            run.stdout
        );
        let diags = report["diagnostics"].as_array().expect("CLI diagnostics");
        assert!(!diags.is_empty(), "the fixture has findings");
        let lines: Vec<&str> = run
            .stdout
            .lines()
            .filter(|l| l.starts_with("error") || l.starts_with("warning") || l.starts_with("info"))
            .collect();
        assert_eq!(lines.len(), diags.len(), "{}", run.stdout);
        for (line, d) in lines.iter().zip(diags) {
            let want = format!(
                "{:<7} {} {}",
                d["severity"].as_str().unwrap(),
                d["rule"].as_str().unwrap(),
                d["address"].as_str().unwrap()
            );
            assert!(line.starts_with(&want), "{line:?} vs {want:?}");
            assert!(line.contains(d["message"].as_str().unwrap()), "{line}");
        }
        assert!(run.stdout.contains("plugin stopped in"), "{}", run.stdout);
        // go-plugin logs this when Shutdown did not end the process and it had to kill it.
        assert!(
            !run.stderr.contains("plugin failed to exit gracefully"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn go_plugin_host_gets_the_clis_error_for_a_bad_plan() {
    if !go_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ this is not a plan").unwrap();
    let run = go_host(&bad, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("InvalidArgument"), "{}", run.stderr);
    let streamed = go_host(&bad, &["-stream", "always"]);
    assert_eq!(streamed.code, 2, "{}", streamed.stderr);
    assert_eq!(
        streamed.stderr.lines().find(|l| l.starts_with("error:")),
        run.stderr.lines().find(|l| l.starts_with("error:")),
        "the same error through either RPC"
    );
    let cli = Command::new(env!("CARGO_BIN_EXE_ecsnet"))
        .arg("check")
        .arg(&bad)
        .output()
        .unwrap();
    let cli_err = String::from_utf8_lossy(&cli.stderr);
    let cli_line = cli_err
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("error: ");
    assert!(
        run.stderr.contains(cli_line),
        "go host: {} / CLI: {cli_line}",
        run.stderr
    );
}
