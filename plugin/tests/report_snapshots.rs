//! Snapshots of every output format on one fixture (the plan of the report scenario
//! `testdata/scenarios/reports/mixed/`, made by real Terraform) with an `ignore` block, so a
//! change to any renderer or rule message shows up in review.
//! Update with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test report_snapshots`).

use std::path::Path;

use ecsnet::config::{self, FailOn};
use ecsnet::engine::{self, CheckOptions};
use ecsnet::plan::{self, LoadOptions};
use ecsnet::report::{self, Format, RenderOptions};

const CONFIG: &str = r#"
ignore {
  rule    = "NET018"
  address = "module.legacy.*"
  reason  = "legacy app keeps its host port until the migration"
}
"#;

const MIXED: &str = "testdata/scenarios/reports/mixed/plan.json";

fn report(fail_on: Option<FailOn>) -> engine::Report {
    let bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(MIXED)).unwrap();
    // A fixed name keeps the snapshots independent of where the checkout lives.
    let plan = plan::parse_bytes(&bytes, MIXED, &LoadOptions::default()).unwrap();
    let config = config::parse_str(CONFIG, ".ecsnet.hcl").unwrap();
    engine::check_plans_with(
        &[plan],
        &config,
        &CheckOptions {
            fail_on,
            ..Default::default()
        },
    )
}

fn render(format: Format) -> String {
    let mut s = report::render(&report(None), format, RenderOptions { color: false });
    // The tool version would churn every snapshot on each release.
    s = s.replace(env!("CARGO_PKG_VERSION"), "[version]");
    s
}

#[test]
fn text() {
    insta::assert_snapshot!("mixed_text", render(Format::Text));
}

#[test]
fn json() {
    insta::assert_snapshot!("mixed_json", render(Format::Json));
}

#[test]
fn sarif() {
    // The rule catalogue in tool.driver.rules is long and owned by the rule authors;
    // snapshot the results and the run's shape, and check the catalogue separately.
    let mut v: serde_json::Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    let rules = v["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .unwrap()
        .remove("rules")
        .unwrap();
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = ecsnet::rules::all()
        .iter()
        .map(|r| r.meta().id.as_str())
        .collect();
    assert_eq!(ids, expected);
    // ruleIndex shifts whenever a rule is added: check it, then leave it out of the snapshot.
    for res in v["runs"][0]["results"].as_array_mut().unwrap() {
        let idx = res["ruleIndex"].as_u64().expect("every result has a rule") as usize;
        assert_eq!(ids[idx], res["ruleId"]);
        res.as_object_mut().unwrap().remove("ruleIndex");
    }
    insta::assert_snapshot!("mixed_sarif", serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn junit() {
    insta::assert_snapshot!("mixed_junit", render(Format::Junit));
}

#[test]
fn github() {
    insta::assert_snapshot!("mixed_github", render(Format::Github));
}

#[test]
fn the_ignore_block_suppresses_the_legacy_finding() {
    let r = report(None);
    let legacy: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.address.starts_with("module.legacy.") && d.rule == "NET018")
        .collect();
    assert!(!legacy.is_empty(), "NET018 fires on module.legacy");
    assert!(legacy.iter().all(|d| d.suppressed.is_some()));
    assert_eq!(
        r.exit_code(FailOn::Never),
        0,
        "--fail-on never always exits 0"
    );
}
