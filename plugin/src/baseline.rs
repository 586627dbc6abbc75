//! Baselines: adopt ecsnet on an estate that already has findings, and fail only on new ones.
//!
//! `ecsnet check --write-baseline FILE` writes the fingerprints of the current findings
//! (suppressed ones excepted: their `ignore` block already accepts them);
//! `ecsnet check --baseline FILE` marks the findings whose fingerprint the file lists as
//! known (`baselined`), which never fail the gate, and reports the entries that no longer
//! occur, so the file can be refreshed as problems get fixed.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::Report;
use crate::error::{io_reason, Result, UserError};

/// Version of the baseline file's format.
pub const BASELINE_VERSION: u32 = 1;

/// The file `--write-baseline` writes and `--baseline` reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselineFile {
    pub version: u32,
    /// The findings accepted when the file was written.
    pub findings: Vec<Entry>,
}

/// One accepted finding. Only `fingerprint` is matched; the rest tells people what it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    #[serde(default)]
    pub rule: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub message: String,
}

/// What applying a baseline did.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The baseline file as given.
    pub file: String,
    /// Findings of this run that the baseline lists.
    pub known: usize,
    /// Findings of this run that it does not list (suppressed ones excepted).
    pub new: usize,
    /// Entries of the baseline that no finding of this run matches: fixed, or changed.
    pub absent: Vec<Entry>,
}

/// The baseline for `report`: every finding not suppressed, in report order.
pub fn of_report(report: &Report) -> BaselineFile {
    BaselineFile {
        version: BASELINE_VERSION,
        findings: report
            .diagnostics
            .iter()
            .filter(|d| d.suppressed.is_none())
            .map(|d| Entry {
                fingerprint: d.fingerprint.clone(),
                rule: d.rule.to_string(),
                address: d.address.clone(),
                message: d.message.clone(),
            })
            .collect(),
    }
}

/// Write the baseline of `report` to `path`.
pub fn write(report: &Report, path: &Path) -> Result<()> {
    let mut text = serde_json::to_string_pretty(&of_report(report)).unwrap_or_default();
    text.push('\n');
    crate::cli::write_file(path, &text)
}

/// Read a baseline file; anything else is one line naming the file (exit 2).
pub fn load(path: &Path) -> Result<BaselineFile> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| {
        UserError::new(format!(
            "{shown}: cannot read the baseline: {}; write one with --write-baseline {shown}",
            io_reason(&e)
        ))
    })?;
    let file: BaselineFile = serde_json::from_slice(&bytes).map_err(|e| {
        UserError::new(format!(
            "{shown}: not an ecsnet baseline ({e}); write one with --write-baseline {shown}"
        ))
    })?;
    if file.version != BASELINE_VERSION {
        return Err(UserError::new(format!(
            "{shown}: baseline version {} is not supported (this ecsnet reads version {BASELINE_VERSION}); write it again with --write-baseline {shown}",
            file.version
        )));
    }
    Ok(file)
}

/// Mark the findings `baseline` lists, record what no longer occurs, and recompute whether
/// the report fails.
pub fn apply(report: &mut Report, baseline: BaselineFile, file: &str) {
    let listed: HashSet<&str> = baseline
        .findings
        .iter()
        .map(|e| e.fingerprint.as_str())
        .collect();
    let mut seen: HashSet<&str> = HashSet::with_capacity(report.diagnostics.len());
    let (mut known, mut new) = (0, 0);
    for d in &mut report.diagnostics {
        if listed.contains(d.fingerprint.as_str()) {
            d.baselined = true;
            known += 1;
        } else if d.suppressed.is_none() {
            new += 1;
        }
    }
    for d in &report.diagnostics {
        seen.insert(d.fingerprint.as_str());
    }
    let absent = baseline
        .findings
        .iter()
        .filter(|e| !seen.contains(e.fingerprint.as_str()))
        .cloned()
        .collect();
    report.summary.baselined = known;
    report.summary.failed = report.status() != crate::error::exit::OK;
    report.summary.baseline = Some(Outcome {
        file: file.to_string(),
        known,
        new,
        absent,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FailOn;
    use crate::diagnostics::Severity;
    use crate::report::testing::sample;

    #[test]
    fn a_report_passes_against_its_own_baseline() {
        let mut report = sample(FailOn::Severity(Severity::Warning));
        assert_eq!(report.status(), 1);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        write(&report, &path).unwrap();
        let file = load(&path).unwrap();
        // The suppressed finding is not written: its ignore block accepts it already.
        assert_eq!(file.findings.len(), report.diagnostics.len() - 1);
        apply(&mut report, file, "baseline.json");
        assert_eq!(report.status(), 0);
        assert!(!report.summary.failed);
        let outcome = report.summary.baseline.as_ref().unwrap();
        assert_eq!((outcome.known, outcome.new), (3, 0));
        assert!(outcome.absent.is_empty());
    }

    #[test]
    fn new_findings_fail_and_fixed_ones_are_reported_absent() {
        let mut report = sample(FailOn::Severity(Severity::Warning));
        let mut file = of_report(&report);
        // The NET070 error is not in the baseline: it is new. A fixed problem is listed.
        file.findings.retain(|e| e.rule != "NET070");
        file.findings.push(Entry {
            fingerprint: "0123456789abcdef0123456789abcdef".into(),
            rule: "NET073".into(),
            address: "aws_ecs_service.gone".into(),
            message: "fixed since".into(),
        });
        apply(&mut report, file, "b.json");
        assert_eq!(report.status(), 1);
        let o = report.summary.baseline.as_ref().unwrap();
        assert_eq!((o.known, o.new), (2, 1));
        assert_eq!(o.absent.len(), 1);
        assert_eq!(o.absent[0].address, "aws_ecs_service.gone");
        let new: Vec<&str> = report
            .diagnostics
            .iter()
            .filter(|d| !d.baselined && d.suppressed.is_none())
            .map(|d| d.rule.as_str())
            .collect();
        assert_eq!(new, ["NET070"]);
    }

    #[test]
    fn bad_baselines_are_one_line_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        let e = load(&path).unwrap_err();
        assert!(
            e.message
                .contains("cannot read the baseline: it does not exist"),
            "{e}"
        );
        std::fs::write(&path, "{\"version\": 1}").unwrap();
        let e = load(&path).unwrap_err();
        assert!(e.message.contains("not an ecsnet baseline"), "{e}");
        assert!(!e.message.contains('\n'));
        std::fs::write(&path, "{\"version\": 9, \"findings\": []}").unwrap();
        assert!(load(&path).unwrap_err().message.contains("version 9"));
    }
}
