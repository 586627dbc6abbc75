//! JSON report, schema version 1 (documented in `docs/report-schema.md`).
//!
//! Every diagnostic carries every key (`null` / `[]` when empty) so consumers can rely on
//! the shape without probing.

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Location, Missing, Severity};
use crate::engine::Report;

// Keys come out in sorted order, as they always have: the report used to be rendered
// through a `serde_json::Value`, whose objects sort their keys. It is now serialized
// straight from these structs (no tree of the whole report on large plans), so their
// fields are declared in sorted order; `render_matches_the_value_form` checks both agree.
#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    notes: &'a [String],
    // Small structs declared elsewhere in their own field order: as values, their keys
    // are sorted like everything else in the document.
    plans: serde_json::Value,
    summary: serde_json::Value,
    tool: serde_json::Value,
    version: u32,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    address: &'a str,
    addresses: Vec<&'a str>,
    attribute: Option<&'a str>,
    baselined: bool,
    detail: Option<&'a str>,
    discriminator: Option<&'a str>,
    fingerprint: &'a str,
    help: Option<&'a str>,
    location: Option<&'a Location>,
    message: &'a str,
    missing: &'a [Missing],
    plan: usize,
    related: &'a [String],
    rule: &'a str,
    severity: Severity,
    suppressed: Option<&'a str>,
    unverifiable: bool,
    url: &'a str,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            rule: &d.rule,
            severity: d.severity,
            address: &d.address,
            addresses: std::iter::once(d.address.as_str())
                .chain(d.also.iter().map(String::as_str))
                .collect(),
            attribute: d.attribute.as_deref(),
            baselined: d.baselined,
            discriminator: d.discriminator.as_deref(),
            fingerprint: &d.fingerprint,
            message: &d.message,
            missing: &d.missing,
            detail: d.detail.as_deref(),
            help: d.help.as_deref(),
            location: d.location.as_ref(),
            url: &d.url,
            unverifiable: d.unverifiable,
            related: &d.related,
            suppressed: d.suppressed.as_deref(),
            plan: d.plan,
        }
    }
}

fn document(report: &Report) -> JsonReport<'_> {
    // Serializing plain structs of strings, numbers and bools cannot fail.
    let value = |v: Result<serde_json::Value, _>| v.unwrap_or(serde_json::Value::Null);
    JsonReport {
        diagnostics: report
            .diagnostics
            .iter()
            .map(JsonDiagnostic::from)
            .collect(),
        notes: &report.notes,
        plans: value(serde_json::to_value(&report.plans)),
        summary: value(serde_json::to_value(&report.summary)),
        tool: value(serde_json::to_value(&report.tool)),
        version: report.version,
    }
}

/// The report as a JSON value (used by the plugin server too).
pub fn to_value(report: &Report) -> serde_json::Value {
    serde_json::to_value(document(report)).unwrap_or(serde_json::Value::Null)
}

/// Pretty-printed JSON followed by a newline.
pub fn render(report: &Report) -> String {
    let mut s = String::new();
    let _ = write_pieces(report, PARALLEL_RENDER_MIN, BATCH, &mut |piece: &str| {
        s.push_str(piece);
        Ok(())
    });
    s
}

/// [`render`], handed to `sink` in pieces as it is written, so that a large report is
/// never held whole (200,000 findings make about 280 MB of JSON). Stops at the first error
/// of `sink`.
pub fn write_to(
    report: &Report,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_pieces(report, PARALLEL_RENDER_MIN, BATCH, sink)
}

/// Diagnostics from which [`render`] writes the array in pieces on several threads.
const PARALLEL_RENDER_MIN: usize = 1024;

/// Diagnostics written per thread between two calls of the sink.
const BATCH: usize = 2048;

/// How the document starts: its first key is `diagnostics` (keys are sorted).
const HEAD: &str = "{\n  \"diagnostics\": [";

fn write_pieces(
    report: &Report,
    min: usize,
    batch: usize,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut doc = document(report);
    let items = std::mem::take(&mut doc.diagnostics);
    // Everything but the diagnostics, which are nearly all of a large report.
    let rest = serde_json::to_string_pretty(&doc).unwrap_or_default();
    let rest = rest.strip_prefix(HEAD).and_then(|r| r.strip_prefix(']'));
    let (Some(rest), true) = (rest, items.len() >= min.max(1)) else {
        doc.diagnostics = items;
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        return sink(&s);
    };
    // Each piece is written as serde_json's pretty printer writes those elements inside the
    // array: on lines of their own, two levels (four spaces) in, separated by commas. JSON
    // strings hold no raw line breaks, so indenting every line is exact.
    sink(HEAD)?;
    let threads = crate::par::threads().max(1);
    let mut first = true;
    for group in items.chunks(batch.max(1) * threads) {
        let chunks: Vec<&[JsonDiagnostic<'_>]> =
            group.chunks(group.len().div_ceil(threads)).collect();
        let pieces = crate::par::map(&chunks, 1, |chunk| {
            let mut out = String::new();
            let mut text = Vec::new();
            for d in chunk.iter() {
                text.clear();
                // Serializing plain structs of strings, numbers and bools cannot fail.
                let _ = serde_json::to_writer_pretty(&mut text, d);
                if !out.is_empty() {
                    out.push(',');
                }
                for line in std::str::from_utf8(&text).unwrap_or_default().split('\n') {
                    out.push_str("\n    ");
                    out.push_str(line);
                }
            }
            out
        });
        for piece in &pieces {
            if !first {
                sink(",")?;
            }
            first = false;
            sink(piece)?;
        }
    }
    sink("\n  ]")?;
    sink(rest)?;
    sink("\n")
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
            "missing",
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

    #[test]
    fn render_matches_the_value_form() {
        for fail_on in [FailOn::Never, FailOn::Severity(Severity::Warning)] {
            let report = sample(fail_on);
            let via_value = serde_json::to_string_pretty(&to_value(&report)).unwrap() + "\n";
            assert_eq!(render(&report), via_value);
            // Written in batches of `batch` per thread: the same text.
            for (min, batch) in [(1, 1), (2, 1), (3, 2), (1, 3), (1, 2048)] {
                let mut s = String::new();
                let mut calls = 0;
                write_pieces(&report, min, batch, &mut |p: &str| {
                    s.push_str(p);
                    calls += 1;
                    Ok(())
                })
                .unwrap();
                assert_eq!(s, via_value, "{min} {batch}");
                assert!(calls > 1, "written in pieces");
            }
        }
    }
}
