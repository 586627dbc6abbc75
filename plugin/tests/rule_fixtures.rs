//! Every rule fixture under `testdata/rules/NETxxx/` does what its name promises:
//!
//! - `fire-*.json`: at least one diagnostic of that rule that is neither suppressed nor
//!   unverifiable;
//! - `pass-*.json`: no diagnostic of that rule;
//! - `unverifiable-*.json`: at least one unverifiable diagnostic of that rule.
//!
//! A fixture may come with a configuration next to it (`fire-x.ecsnet.hcl` for
//! `fire-x.json`), e.g. to supply `assume` blocks. The `.json` files are generated from
//! `*.spec.json` by `testdata/tools/mkplan.py`.
//!
//! `every_rule_has_fire_and_pass_fixtures` fails until each rule of `rules::all()` has both.

use std::path::{Path, PathBuf};

use ecsnet::config::Config;
use ecsnet::diagnostics::Diagnostic;
use ecsnet::engine;
use ecsnet::plan::{self, LoadOptions};

fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    root.canonicalize().unwrap_or(root)
}

fn rules_dir() -> PathBuf {
    repo_root().join("testdata/rules")
}

/// `testdata/rules/NET001/pass-x.json`, for messages.
fn shown(path: &Path) -> String {
    let root = repo_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Fire,
    Pass,
    Unverifiable,
}

struct Fixture {
    rule: String,
    kind: Kind,
    path: PathBuf,
}

fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(rules_dir()) else {
        return out;
    };
    let mut dirs: Vec<PathBuf> = dirs.filter_map(|e| e.ok().map(|e| e.path())).collect();
    dirs.sort();
    for dir in dirs {
        let Some(rule) = dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        if !dir.is_dir() || !rule.starts_with("NET") {
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for path in files {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".json") || name.ends_with(".spec.json") {
                continue;
            }
            let kind = if name.starts_with("fire-") {
                Kind::Fire
            } else if name.starts_with("pass-") {
                Kind::Pass
            } else if name.starts_with("unverifiable-") {
                Kind::Unverifiable
            } else {
                continue;
            };
            out.push(Fixture {
                rule: rule.clone(),
                kind,
                path,
            });
        }
    }
    out
}

fn config_for(path: &Path) -> Config {
    let hcl = path.with_extension("ecsnet.hcl");
    if hcl.is_file() {
        ecsnet::config::load(&hcl).unwrap_or_else(|e| panic!("{e}"))
    } else {
        Config::default()
    }
}

fn describe(ds: &[&Diagnostic]) -> String {
    ds.iter()
        .map(|d| {
            format!(
                "  {} {} {}{}: {}",
                d.severity,
                d.rule,
                d.address,
                if d.unverifiable {
                    " (unverifiable)"
                } else {
                    ""
                },
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Problems with one fixture, or `None` when it behaves.
fn check_fixture(f: &Fixture) -> Option<String> {
    let name = shown(&f.path);
    let plan = match plan::load(&f.path.display().to_string(), &LoadOptions::default()) {
        Ok(p) => p,
        Err(e) => return Some(format!("{name}: cannot be read: {e}")),
    };
    let report = engine::check_plans(std::slice::from_ref(&plan), &config_for(&f.path));
    let of_rule: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == f.rule)
        .collect();
    let ok = match f.kind {
        Kind::Fire => of_rule
            .iter()
            .any(|d| d.suppressed.is_none() && !d.unverifiable),
        Kind::Pass => of_rule.is_empty(),
        Kind::Unverifiable => of_rule.iter().any(|d| d.unverifiable),
    };
    if ok {
        return None;
    }
    let expected = match f.kind {
        Kind::Fire => "a finding (not suppressed, not unverifiable)",
        Kind::Pass => "no finding",
        Kind::Unverifiable => "an unverifiable finding",
    };
    let all: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    Some(format!(
        "{name}: expected {expected} of {}; got:\n{}",
        f.rule,
        if all.is_empty() {
            "  (no diagnostics at all)".to_string()
        } else {
            describe(&all)
        }
    ))
}

#[test]
fn fixtures_fire_pass_and_are_unverifiable_as_named() {
    let all = fixtures();
    if all.is_empty() {
        eprintln!(
            "no rule fixtures under {}: nothing to check yet",
            rules_dir().display()
        );
    }
    let problems: Vec<String> = all.iter().filter_map(check_fixture).collect();
    assert!(
        problems.is_empty(),
        "{} of {} rule fixtures misbehave:\n{}",
        problems.len(),
        all.len(),
        problems.join("\n")
    );
}

#[test]
fn fixture_directories_name_real_rules() {
    let ids: Vec<&str> = ecsnet::rules::all().iter().map(|r| r.meta().id).collect();
    let unknown: Vec<String> = fixtures()
        .into_iter()
        .filter(|f| !ids.contains(&f.rule.as_str()))
        .map(|f| shown(&f.path))
        .collect();
    assert!(
        unknown.is_empty(),
        "fixtures for rules that do not exist: {unknown:?}"
    );
}

#[test]
fn every_rule_has_fire_and_pass_fixtures() {
    let fx = fixtures();
    let mut missing = Vec::new();
    for r in ecsnet::rules::all() {
        let id = r.meta().id;
        for (kind, label) in [(Kind::Fire, "fire"), (Kind::Pass, "pass")] {
            if !fx.iter().any(|f| f.rule == id && f.kind == kind) {
                missing.push(format!("{id}: no {label}-*.json"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fixtures (add testdata/rules/<ID>/fire-*.spec.json and pass-*.spec.json, then run mkplan.py):\n{}",
        missing.join("\n")
    );
}
