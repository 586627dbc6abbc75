//! What ships around the binary, run as a user or CI would run it: the release archive
//! (`scripts/dist.sh`, i.e. `make dist`), the pre-commit hook (`.pre-commit-hooks.yaml`,
//! through the real `pre-commit` from PyPI) and the GitHub Action's script (`ci/action.sh`,
//! with fake GITHUB_* variables). Tools a test needs that are not installed (tar, sha256sum,
//! git, pre-commit) make it print a `SKIPPED:` line; `.ci/run` installs them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[macro_use]
#[path = "support/skip.rs"]
mod skip;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A report scenario's plan: `clean` has no error or warning, `mixed` has errors (NET010 among
/// them) and warnings.
fn plan(name: &str) -> PathBuf {
    repo()
        .join("testdata/scenarios/reports")
        .join(name)
        .join("plan.json")
}

fn ecsnet_bin() -> &'static str {
    env!("CARGO_BIN_EXE_ecsnet")
}

/// PATH with the directory of the ecsnet under test first.
fn path_with_ecsnet() -> String {
    let dir = Path::new(ecsnet_bin()).parent().unwrap();
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn has(tool: &str, arg: &str) -> bool {
    Command::new(tool)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn run_ok(cmd: &mut Command) -> Output {
    let o = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(o.status.success(), "{cmd:?} failed:\n{}", text(&o));
    o
}

#[test]
fn dist_archive_unpacks_and_its_checksums_verify() {
    if !has("tar", "--version") || !has("sha256sum", "--version") {
        skip_note!("release archive not tested: tar or sha256sum is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    let o = run_ok(
        Command::new("sh")
            .arg(repo().join("scripts/dist.sh"))
            .env("ECSNET_BIN", ecsnet_bin())
            .env("DIST_DIR", &dist)
            .env("TARGET_TRIPLE", "test-triple"),
    );
    let archive = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
    let name = format!("ecsnet-{}-test-triple", env!("CARGO_PKG_VERSION"));
    assert_eq!(archive, dist.join(format!("{name}.tar.gz")));

    // The archive's own checksum file verifies it.
    run_ok(
        Command::new("sha256sum")
            .args(["-c", &format!("{name}.tar.gz.sha256")])
            .current_dir(&dist),
    );
    let unpacked = tmp.path().join("unpacked");
    std::fs::create_dir(&unpacked).unwrap();
    run_ok(
        Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(&unpacked),
    );
    let top = unpacked.join(&name);

    // Everything promised is there, and SHA256SUMS lists exactly the other files.
    let expected = [
        "LICENSE",
        "README.md",
        "completions/_ecsnet",
        "completions/_ecsnet.ps1",
        "completions/ecsnet.bash",
        "completions/ecsnet.elv",
        "completions/ecsnet.fish",
        "ecsnet",
        "man/man1/ecsnet-check.1",
        "man/man1/ecsnet-completions.1",
        "man/man1/ecsnet-man.1",
        "man/man1/ecsnet.1",
    ];
    let sums = std::fs::read_to_string(top.join("SHA256SUMS")).unwrap();
    let listed: Vec<&str> = sums
        .lines()
        .map(|l| l.split_once("  ").expect("sha256sum line").1)
        .collect();
    for f in expected {
        assert!(top.join(f).is_file(), "{f} missing from the archive");
        assert!(listed.contains(&f), "{f} not in SHA256SUMS");
    }
    assert!(!listed.contains(&"SHA256SUMS"));
    let on_disk = count_files(&top);
    assert_eq!(listed.len() + 1, on_disk, "SHA256SUMS:\n{sums}");
    run_ok(
        Command::new("sha256sum")
            .args(["-c", "--strict", "SHA256SUMS"])
            .current_dir(&top),
    );

    // The checksums bite: a changed file fails verification.
    std::fs::write(top.join("completions/ecsnet.bash"), "# changed\n").unwrap();
    let tampered = Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(&top)
        .output()
        .unwrap();
    assert!(!tampered.status.success());
    assert!(text(&tampered).contains("completions/ecsnet.bash: FAILED"));

    // The packaged binary runs, and its man page and completions are its own.
    let version = run_ok(Command::new(top.join("ecsnet")).arg("-V"));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("ecsnet {}", env!("CARGO_PKG_VERSION"))
    );
    let man = std::fs::read_to_string(top.join("man/man1/ecsnet-check.1")).unwrap();
    assert!(man.contains(".TH ecsnet-check 1") && man.contains("fail\\-on"));
    let zsh = std::fs::read_to_string(top.join("completions/_ecsnet")).unwrap();
    assert!(zsh.starts_with("#compdef ecsnet"));
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                count_files(&e.path())
            } else {
                1
            }
        })
        .sum()
}

/// `git` in `dir` with an identity and no user or system configuration.
fn git(dir: &Path, gitconfig: &Path) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", gitconfig)
        .env("GIT_CONFIG_NOSYSTEM", "1");
    c
}

/// The pre-commit command: `pre-commit` on PATH, else the module of the Python on PATH.
fn pre_commit() -> Option<Vec<&'static str>> {
    if has("pre-commit", "--version") {
        return Some(vec!["pre-commit"]);
    }
    let module = Command::new("python3")
        .args(["-m", "pre_commit", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    module.then(|| vec!["python3", "-m", "pre_commit"])
}

#[test]
fn pre_commit_hook_passes_a_clean_plan_and_blocks_a_failing_one() {
    let Some(pre_commit) = pre_commit() else {
        skip_note!(
            "pre-commit hook not tested: pre-commit is not installed (pip install pre-commit)"
        );
        return;
    };
    if !has("git", "--version") {
        skip_note!("pre-commit hook not tested: git is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let gitconfig = tmp.path().join("gitconfig");
    std::fs::write(
        &gitconfig,
        "[user]\n\tname = ecsnet test\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n",
    )
    .unwrap();

    // A hook repository holding this repository's .pre-commit-hooks.yaml, at a commit, as
    // pre-commit clones it.
    let hooks = tmp.path().join("hooks");
    std::fs::create_dir(&hooks).unwrap();
    std::fs::copy(
        repo().join(".pre-commit-hooks.yaml"),
        hooks.join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    run_ok(git(&hooks, &gitconfig).args(["init", "-q"]));
    run_ok(git(&hooks, &gitconfig).args(["add", ".pre-commit-hooks.yaml"]));
    run_ok(git(&hooks, &gitconfig).args(["commit", "-q", "-m", "hooks"]));
    let rev = run_ok(git(&hooks, &gitconfig).args(["rev-parse", "HEAD"]));
    let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();

    // A project that uses the hook, installed as a git pre-commit hook.
    let project = tmp.path().join("project");
    std::fs::create_dir_all(project.join("envs/dev")).unwrap();
    std::fs::create_dir_all(project.join("envs/prod")).unwrap();
    std::fs::write(
        project.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: ecsnet\n",
            hooks.display()
        ),
    )
    .unwrap();
    run_ok(git(&project, &gitconfig).args(["init", "-q"]));
    let pc_home = tmp.path().join("pre-commit-home");
    let run_pc = |args: &[&str]| {
        let mut c = Command::new(pre_commit[0]);
        c.args(&pre_commit[1..])
            .args(args)
            .current_dir(&project)
            .env("PRE_COMMIT_HOME", &pc_home)
            .env("GIT_CONFIG_GLOBAL", &gitconfig)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("PATH", path_with_ecsnet());
        c
    };
    run_ok(&mut run_pc(&["install"]));
    let commit = |msg: &str| {
        git(&project, &gitconfig)
            .args(["commit", "-q", "-m", msg])
            .env("PRE_COMMIT_HOME", &pc_home)
            .env("PATH", path_with_ecsnet())
            .output()
            .unwrap()
    };

    // The clean plan is committed; ecsnet ran on it.
    std::fs::copy(plan("clean"), project.join("envs/dev/plan.json")).unwrap();
    run_ok(git(&project, &gitconfig).args(["add", "-A"]));
    let good = commit("dev plan");
    assert!(
        good.status.success(),
        "clean plan blocked:\n{}",
        text(&good)
    );
    assert!(text(&good).contains("Passed"), "{}", text(&good));

    // The failing plan is refused, with ecsnet's findings in the hook's output.
    std::fs::copy(plan("mixed"), project.join("envs/prod/tfplan.json")).unwrap();
    run_ok(git(&project, &gitconfig).args(["add", "-A"]));
    let bad = commit("prod plan");
    let out = text(&bad);
    assert!(!bad.status.success(), "failing plan committed:\n{out}");
    assert!(
        out.contains("Failed") && out.contains("error[NET010]"),
        "{out}"
    );
    let log = run_ok(git(&project, &gitconfig).args(["log", "--format=%s"]));
    assert_eq!(String::from_utf8_lossy(&log.stdout).trim(), "dev plan");

    // JSON files that are not plans are not handed to ecsnet.
    std::fs::write(project.join("package.json"), "{\"name\": \"x\"}\n").unwrap();
    let other = run_ok(&mut run_pc(&["run", "ecsnet", "--files", "package.json"]));
    assert!(
        text(&other).contains("no files to check"),
        "{}",
        text(&other)
    );
}

/// What one `ci/action.sh run` left behind.
struct ActionRun {
    out: Output,
    outputs: String,
    summary: String,
    sarif: PathBuf,
}

fn action(dir: &Path, step: &str, env: &[(&str, &str)]) -> ActionRun {
    let outputs = dir.join("github_output");
    let summary = dir.join("step_summary");
    let _ = std::fs::remove_file(&outputs);
    let _ = std::fs::remove_file(&summary);
    let sarif = dir.join("ecsnet.sarif");
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join("ci/action.sh"))
        .arg(step)
        .current_dir(dir)
        .env("PATH", path_with_ecsnet())
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_PATH", dir.join("github_path"))
        .env("GITHUB_ACTION_PATH", repo())
        .env("RUNNER_TEMP", dir)
        .env("INPUT_SARIF_FILE", &sarif)
        .env_remove("ECSNET_TERRAFORM_BIN");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    ActionRun {
        out,
        outputs: std::fs::read_to_string(&outputs).unwrap_or_default(),
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        sarif,
    }
}

/// The findings rows of the step summary's table.
fn summary_rows(summary: &str) -> usize {
    summary
        .lines()
        .filter(|l| {
            ["| error", "| warning", "| info"]
                .iter()
                .any(|p| l.starts_with(p))
                && l.contains(" | [NET")
        })
        .count()
}

#[test]
fn action_script_checks_uploads_summarises_and_fails_as_ecsnet_does() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // ecsnet on PATH is used as it is: nothing is built.
    let install = action(dir, "install", &[]);
    assert!(install.out.status.success(), "{}", text(&install.out));
    assert!(text(&install.out).contains("already on PATH"));

    // A failing plan: exit code 1 recorded, SARIF written, annotations printed, summary table.
    let mixed = plan("mixed");
    let bad = action(dir, "run", &[("INPUT_PLANS", mixed.to_str().unwrap())]);
    let out = text(&bad.out);
    assert!(
        bad.out.status.success(),
        "the run step must not fail: {out}"
    );
    assert!(bad.outputs.contains("exit-code=1\n"), "{}", bad.outputs);
    assert!(bad
        .outputs
        .contains(&format!("sarif-file={}\n", bad.sarif.display())));
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&bad.sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "NET010"));
    assert!(
        out.lines()
            .any(|l| l.starts_with("::error ") && l.contains("title=NET010")),
        "{out}"
    );
    assert!(
        bad.summary
            .starts_with("### ecsnet: failed (fail-on error)"),
        "{}",
        bad.summary
    );
    assert!(bad
        .summary
        .contains("| severity | rule | resource | finding |"));
    assert_eq!(summary_rows(&bad.summary), results.len(), "{}", bad.summary);
    assert!(bad
        .summary
        .lines()
        .any(|l| l.starts_with("| error | [NET010]")
            && l.contains("| `aws_ecs_task_definition.web` |")));
    let verdict = action(dir, "verdict", &[("ECSNET_EXIT_CODE", "1")]);
    assert_eq!(verdict.out.status.code(), Some(1));

    // A clean plan passes; no summary when the input turns it off.
    let clean = plan("clean");
    let good = action(dir, "run", &[("INPUT_PLANS", clean.to_str().unwrap())]);
    assert!(good.outputs.contains("exit-code=0\n"), "{}", good.outputs);
    assert!(
        good.summary.starts_with("### ecsnet: passed"),
        "{}",
        good.summary
    );
    let good_sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&good.sarif).unwrap()).unwrap();
    let good_results = good_sarif["runs"][0]["results"].as_array().unwrap();
    assert!(good_results.iter().all(|r| r["level"] == "note"));
    assert_eq!(summary_rows(&good.summary), good_results.len());
    let quiet = action(
        dir,
        "run",
        &[
            ("INPUT_PLANS", clean.to_str().unwrap()),
            ("INPUT_SUMMARY", "false"),
        ],
    );
    assert!(quiet.outputs.contains("exit-code=0\n"));
    assert_eq!(quiet.summary, "");
    assert_eq!(
        action(dir, "verdict", &[("ECSNET_EXIT_CODE", "0")])
            .out
            .status
            .code(),
        Some(0)
    );

    // fail-on is passed through: at `never` nothing fails the mixed plan.
    let never = action(
        dir,
        "run",
        &[
            ("INPUT_PLANS", mixed.to_str().unwrap()),
            ("INPUT_FAIL_ON", "never"),
        ],
    );
    assert!(never.outputs.contains("exit-code=0\n"), "{}", never.outputs);

    // Bad input: exit code 2 recorded with ecsnet's one-line reason, as annotation and summary.
    let missing = dir.join("missing.json");
    let broken = action(dir, "run", &[("INPUT_PLANS", missing.to_str().unwrap())]);
    assert!(
        broken.outputs.contains("exit-code=2\n"),
        "{}",
        broken.outputs
    );
    assert!(!broken.outputs.contains("sarif-file="));
    assert!(text(&broken.out).contains("::error title=ecsnet::error: "));
    assert!(broken
        .summary
        .contains("could not check the plans (exit code 2)"));
    assert!(
        broken.summary.contains("missing.json"),
        "{}",
        broken.summary
    );
    let empty = action(dir, "run", &[("INPUT_PLANS", " \n ")]);
    assert!(empty.outputs.contains("exit-code=2\n"));
    assert_eq!(
        action(dir, "verdict", &[("ECSNET_EXIT_CODE", "2")])
            .out
            .status
            .code(),
        Some(2)
    );
    let usage = action(dir, "bogus", &[]);
    assert_eq!(usage.out.status.code(), Some(2));
}
