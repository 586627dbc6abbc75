//! A large plan is checked by a process started again with glibc's allocator advising huge
//! pages (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, see `cli/hugepages.rs`), with the same
//! arguments, output and exit code; small plans are not, and a user's own setting of the
//! tunable is kept.
//!
//! What the final process's environment holds is seen through a stand-in `terraform` that
//! ecsnet runs for a binary plan file: it inherits that environment and writes down
//! `GLIBC_TUNABLES` before printing the sample plan as JSON.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Whether the kernel gives huge pages where a process asks for them, and only there: the
/// one mode in which ecsnet starts again.
fn madvise_mode() -> bool {
    std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled")
        .is_ok_and(|m| m.contains("[madvise]"))
}

struct Setup {
    _dir: tempfile::TempDir,
    terraform: PathBuf,
    seen: PathBuf,
    large: PathBuf,
    small: PathBuf,
}

fn setup() -> Setup {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("tunables");
    let sample = repo().join("testdata/scenarios/sample/shop/plan.json");
    let terraform = dir.path().join("terraform");
    std::fs::write(
        &terraform,
        format!(
            "#!/bin/sh\nprintf '%s' \"${{GLIBC_TUNABLES-unset}}\" > '{}'\ncat '{}'\n",
            seen.display(),
            sample.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&terraform, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Binary plan files are zip archives; only the first bytes are looked at before
    // terraform is asked to read it.
    let zip = |len: usize| {
        let mut b = b"PK\x03\x04".to_vec();
        b.resize(len, 0);
        b
    };
    let large = dir.path().join("large.tfplan");
    // Just over the 32 MiB from which ecsnet starts again.
    std::fs::write(&large, zip((32 << 20) + 1)).unwrap();
    let small = dir.path().join("small.tfplan");
    // Just under it.
    std::fs::write(&small, zip((32 << 20) - 1)).unwrap();
    Setup {
        _dir: dir,
        terraform,
        seen,
        large,
        small,
    }
}

/// `ecsnet check PLAN` with `GLIBC_TUNABLES` as given (unset for `None`): its output and
/// the `GLIBC_TUNABLES` the final process had.
fn check(s: &Setup, plan: &Path, tunables: Option<&str>) -> (Output, String) {
    let _ = std::fs::remove_file(&s.seen);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ecsnet"));
    cmd.args([
        "check",
        "--format",
        "json",
        "--fail-on",
        "error",
        "--no-source",
    ])
    .arg(plan)
    .env("ECSNET_TERRAFORM_BIN", &s.terraform)
    .env_remove("GLIBC_TUNABLES");
    if let Some(t) = tunables {
        cmd.env("GLIBC_TUNABLES", t);
    }
    let out = cmd.output().unwrap();
    let seen = std::fs::read_to_string(&s.seen).unwrap_or_else(|_| {
        panic!(
            "terraform was not run: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, seen)
}

#[test]
fn a_large_plan_is_checked_again_with_huge_pages_and_the_same_report() {
    let s = setup();
    let (restarted, seen) = check(&s, &s.large, None);
    let expected = if madvise_mode() {
        "glibc.malloc.hugetlb=1"
    } else {
        "unset"
    };
    assert_eq!(seen, expected);
    // The user's choice is kept, and gives the same report and exit code.
    let (kept, seen) = check(&s, &s.large, Some("glibc.malloc.hugetlb=0"));
    assert_eq!(seen, "glibc.malloc.hugetlb=0");
    assert_eq!(restarted.status.code(), kept.status.code());
    // The sample plan has errors: `--fail-on error` fails, so the exit code says something.
    assert_eq!(restarted.status.code(), Some(1));
    assert!(!restarted.stdout.is_empty());
    assert_eq!(restarted.stdout, kept.stdout);
    assert_eq!(restarted.stderr, kept.stderr);
}

#[test]
fn other_tunables_are_kept_beside_the_added_one() {
    let s = setup();
    let (_, seen) = check(&s, &s.large, Some("glibc.malloc.arena_max=2"));
    let expected = if madvise_mode() {
        "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"
    } else {
        "glibc.malloc.arena_max=2"
    };
    assert_eq!(seen, expected);
}

#[test]
fn a_small_plan_is_checked_by_the_first_process() {
    let s = setup();
    let (out, seen) = check(&s, &s.small, None);
    assert_eq!(seen, "unset");
    assert_eq!(out.status.code(), Some(1));
}
