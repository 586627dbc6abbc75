//! Plan fixtures are made by real Terraform from the configurations under
//! `testdata/scenarios/`; what remains hand-written is a `*.spec.json` elsewhere under
//! `testdata/` (today `testdata/sample/` and the per-rule fixtures of `testdata/rules/`),
//! turned into a plan by `testdata/tools/mkplan.py`. A committed plan must match what the
//! generator produces from its spec today. Skips (visibly) without python3, or when no
//! spec is left.

#[macro_use]
#[path = "support/skip.rs"]
mod skip;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every `*.spec.json` under `dir`, outside the scenarios (whose plans Terraform makes).
fn specs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "scenarios") {
                specs_under(&p, out);
            }
        } else if p.to_string_lossy().ends_with(".spec.json") {
            out.push(p);
        }
    }
}

#[test]
fn hand_written_fixtures_match_their_specs() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs = Vec::new();
    specs_under(&root.join("testdata"), &mut specs);
    specs.sort();
    if specs.is_empty() {
        skip_note!(
            "no hand-written plan specs remain under testdata/: nothing for mkplan.py to check"
        );
        return;
    }
    let out = match Command::new("python3")
        .arg(root.join("testdata/tools/mkplan.py"))
        .arg("--check")
        .args(&specs)
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            skip_note!("python3 is not available ({e}); cannot regenerate fixtures");
            return;
        }
    };
    assert!(
        out.status.success(),
        "stale fixtures (run `python3 testdata/tools/mkplan.py --all`):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
