//! Where findings point, filled in one place after the rules run: the `.tf` line of the
//! attribute or block concerned when the plan's Terraform sources are read (through module
//! calls and `dynamic` blocks), else the resource's entry in the plan JSON file. Inline
//! `# ecsnet:ignore RULE -- reason` comments on or above the located lines suppress the
//! finding.

use std::sync::Arc;

use tfsource::Sources;

use crate::diagnostics::{Diagnostic, Location, LocationKind};
use crate::plan::Plan;

/// The plans of a check and, per plan, the sources read for it.
pub struct Locator<'a> {
    pub plans: &'a [Plan],
    /// Indexed like `plans`; shorter or `None`: no sources for that plan.
    pub sources: &'a [Option<Arc<Sources>>],
}

impl Locator<'_> {
    fn sources_of(&self, plan: usize) -> Option<&Sources> {
        self.sources.get(plan).and_then(|s| s.as_deref())
    }

    /// Give each finding its location and apply inline suppressions (a finding already
    /// suppressed keeps its reason).
    pub fn apply(&self, diagnostics: &mut [Diagnostic]) {
        for (i, d) in diagnostics.iter_mut().enumerate() {
            crate::cancel::check_every(i, 256);
            if let Some(src) = self.sources_of(d.plan) {
                if let Some(at) = src.locate(&d.address, d.attribute.as_deref()) {
                    if d.suppressed.is_none() {
                        if let Some(s) = src.suppression_for(&at, &d.rule) {
                            d.suppressed = Some(s.reason.clone());
                        }
                    }
                    d.location = Some(Location {
                        file: at.file,
                        line: at.line,
                        column: None,
                        kind: LocationKind::Source,
                    });
                    continue;
                }
            }
            let Some(plan) = self.plans.get(d.plan).filter(|p| p.json_file) else {
                continue;
            };
            if let Some((line, column)) = plan.resource(&d.address).and_then(|r| r.position) {
                d.location = Some(Location {
                    file: plan.name.clone(),
                    line,
                    column: Some(column),
                    kind: LocationKind::Plan,
                });
            }
        }
    }

    /// Inline suppressions that suppress no finding of these diagnostics: `file:line` and
    /// rules of each, for a note (a stale exception is worth removing).
    pub fn unused_suppressions(&self, diagnostics: &[Diagnostic]) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen: Vec<*const Sources> = Vec::new();
        for (plan, src) in self.sources.iter().enumerate() {
            let Some(src) = src.as_deref() else { continue };
            if src.suppressions.is_empty() {
                continue;
            }
            // Several plans may share one configuration: report its comments once.
            if seen.contains(&(src as *const Sources)) {
                continue;
            }
            seen.push(src);
            let located: Vec<(&Diagnostic, tfsource::Located)> = diagnostics
                .iter()
                .filter(|d| {
                    self.sources_of(d.plan)
                        .is_some_and(|s| std::ptr::eq(s, src))
                })
                .filter_map(|d| Some((d, src.locate(&d.address, d.attribute.as_deref())?)))
                .collect();
            let _ = plan;
            for s in &src.suppressions {
                let used = located.iter().any(|(d, at)| {
                    s.rules.iter().any(|r| r == &d.rule) && at.chain.contains(&(s.file, s.target))
                });
                if !used {
                    out.push(format!(
                        "{}:{} (ecsnet:ignore {})",
                        src.files[s.file].display,
                        s.line,
                        s.rules.join(",")
                    ));
                }
            }
        }
        out
    }
}
