//! The plan fixtures under `testdata/plans/` and `testdata/sample/` are generated from
//! their `*.spec.json` by `testdata/tools/mkplan.py`: a committed plan must match what the
//! generator produces from its spec today. Skips (visibly) without python3.

#[macro_use]
#[path = "support/skip.rs"]
mod skip;

use std::path::PathBuf;
use std::process::Command;

#[test]
fn foundation_fixtures_match_their_specs() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs = Vec::new();
    for dir in ["testdata/plans", "testdata/sample"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.to_string_lossy().ends_with(".spec.json") {
                specs.push(p);
            }
        }
    }
    specs.sort();
    assert!(specs.len() >= 4, "foundation specs present: {specs:?}");
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
        "stale fixtures (run `make fixtures`):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
