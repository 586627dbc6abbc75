//! JSON report, schema version 1 (documented in `docs/report-schema.md`).
//!
//! Every diagnostic carries every key (`null` / `[]` when empty) so consumers can rely on
//! the shape without probing.

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use crate::engine::{Report, Summary, Tool};
use crate::model::PlanSummary;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: &'a Tool,
    plans: &'a [PlanSummary],
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    address: &'a str,
    attribute: Option<&'a str>,
    message: &'a str,
    detail: Option<&'a str>,
    help: Option<&'a str>,
    url: &'a str,
    unverifiable: bool,
    related: &'a [String],
    suppressed: Option<&'a str>,
    plan: usize,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            rule: &d.rule,
            severity: d.severity,
            address: &d.address,
            attribute: d.attribute.as_deref(),
            message: &d.message,
            detail: d.detail.as_deref(),
            help: d.help.as_deref(),
            url: &d.url,
            unverifiable: d.unverifiable,
            related: &d.related,
            suppressed: d.suppressed.as_deref(),
            plan: d.plan,
        }
    }
}

/// The report as a JSON value (used by the plugin server too).
pub fn to_value(report: &Report) -> serde_json::Value {
    let doc = JsonReport {
        version: report.version,
        tool: &report.tool,
        plans: &report.plans,
        diagnostics: report
            .diagnostics
            .iter()
            .map(JsonDiagnostic::from)
            .collect(),
        summary: &report.summary,
    };
    // Serializing plain structs of strings, numbers and bools cannot fail.
    serde_json::to_value(doc).unwrap_or(serde_json::Value::Null)
}

/// Pretty-printed JSON followed by a newline.
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(report)).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FailOn;
    use crate::report::testing::sample;

    #[test]
    fn shape_is_stable() {
        let v = to_value(&sample(FailOn::Severity(Severity::Warning)));
        assert_eq!(v["version"], 1);
        assert_eq!(v["tool"]["name"], "ecsnet");
        assert_eq!(v["plans"][0]["path"], "plans/prod plan.json");
        let keys: Vec<&str> = v["diagnostics"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for k in [
            "rule",
            "severity",
            "address",
            "attribute",
            "message",
            "detail",
            "help",
            "url",
            "unverifiable",
            "related",
            "suppressed",
            "plan",
        ] {
            assert!(keys.contains(&k), "missing {k}");
        }
        assert_eq!(v["diagnostics"].as_array().unwrap().len(), 4);
        let sup = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| !d["suppressed"].is_null())
            .unwrap();
        assert_eq!(sup["rule"], "NET018");
        assert_eq!(v["summary"]["fail_on"], "warning");
        assert_eq!(v["summary"]["failed"], true);
        assert_eq!(v["summary"]["suppressed"], 1);
        assert!(render(&sample(FailOn::Never)).ends_with("}\n"));
    }
}
