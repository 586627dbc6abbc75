//! Every report format on every real plan of `../shared/realplans/` (skipped, visibly,
//! when that folder is absent): rendering never panics, JSON and SARIF parse and carry
//! the same number of findings, and no output contains a `CANARY-SENSITIVE` value.

#[macro_use]
#[path = "support/skip.rs"]
mod skip;

use std::path::{Path, PathBuf};

use ecsnet::config::Config;
use ecsnet::engine;
use ecsnet::plan::{self, LoadOptions};
use ecsnet::report::{self, Format, RenderOptions};

fn corpus() -> Option<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/realplans");
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Some(files)
}

#[test]
fn every_format_on_every_real_plan_is_clean() {
    let Some(files) = corpus() else {
        skip_note!("../shared/realplans is absent (real-plan corpus not available here)");
        return;
    };
    assert!(!files.is_empty(), "the corpus folder holds plans");
    let mut checked = 0;
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        // Reading every corpus file is the plan reader's corpus test; a file it rejects
        // cannot produce a report here.
        let plan = match plan::load(&file.display().to_string(), &LoadOptions::default()) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{name}: not a readable plan ({e}); no report to check");
                continue;
            }
        };
        let report = engine::check_plans(std::slice::from_ref(&plan), &Config::default());
        for format in [
            Format::Text,
            Format::Json,
            Format::Sarif,
            Format::Junit,
            Format::Github,
        ] {
            for color in [false, true] {
                let out = report::render(&report, format, RenderOptions { color });
                assert!(
                    !out.contains("CANARY-SENSITIVE"),
                    "{name}: {format:?} output contains a sensitive value"
                );
            }
        }
        let json: serde_json::Value = serde_json::from_str(&report::render(
            &report,
            Format::Json,
            RenderOptions::default(),
        ))
        .unwrap_or_else(|e| panic!("{name}: JSON report does not parse: {e}"));
        let sarif: serde_json::Value = serde_json::from_str(&report::render(
            &report,
            Format::Sarif,
            RenderOptions::default(),
        ))
        .unwrap_or_else(|e| panic!("{name}: SARIF does not parse: {e}"));
        let n = report.diagnostics.len();
        assert_eq!(json["diagnostics"].as_array().unwrap().len(), n, "{name}");
        assert_eq!(
            sarif["runs"][0]["results"].as_array().unwrap().len(),
            n,
            "{name}"
        );
        // One annotation per finding (no real plan has more than ten of a level), and one
        // per note about the run (a plan without ECS resources).
        let github = report::render(&report, Format::Github, RenderOptions::default());
        assert_eq!(
            github.lines().filter(|l| l.starts_with("::")).count(),
            n + report.notes.len(),
            "{name}"
        );
        checked += 1;
    }
    eprintln!(
        "checked the reports of {checked} of {} real plans",
        files.len()
    );
    assert!(checked > 0, "at least one real plan is readable");
}
