//! Small helpers shared by rules.

use super::{Context, RuleMeta};
use crate::diagnostics::Diagnostic;

/// Builds a [`Diagnostic`] with the rule's id, default severity and url filled in.
pub struct DiagnosticBuilder(Diagnostic);

impl<'a> Context<'a> {
    /// Start a finding of `meta`'s rule about `address`.
    pub fn diag(
        &self,
        meta: &'static RuleMeta,
        address: &str,
        message: impl Into<String>,
    ) -> DiagnosticBuilder {
        DiagnosticBuilder(Diagnostic {
            rule: meta.id,
            severity: meta.default_severity,
            address: address.to_string(),
            attribute: None,
            message: message.into(),
            detail: None,
            help: None,
            url: meta.url.to_string(),
            unverifiable: false,
            ..Diagnostic::default()
        })
    }
}

impl DiagnosticBuilder {
    pub fn severity(mut self, s: crate::diagnostics::Severity) -> Self {
        self.0.severity = s;
        self
    }
    pub fn attribute(mut self, a: impl Into<String>) -> Self {
        self.0.attribute = Some(a.into());
        self
    }
    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.0.detail = Some(d.into());
        self
    }
    pub fn help(mut self, h: impl Into<String>) -> Self {
        self.0.help = Some(h.into());
        self
    }
    pub fn related(mut self, addr: impl Into<String>) -> Self {
        self.0.related.push(addr.into());
        self
    }
    /// The shared subject (cluster, capacity provider, subnet) of a problem that several
    /// resources report alike: the report lists it once (see [`crate::findings`]).
    pub fn group(mut self, subject: impl Into<String>) -> Self {
        self.0.group = Some(subject.into());
        self
    }
    /// What tells this finding apart from others of the rule on the same resources.
    pub fn discriminator(mut self, d: impl Into<String>) -> Self {
        self.0.discriminator = Some(d.into());
        self
    }
    pub fn plan(mut self, p: usize) -> Self {
        self.0.plan = p;
        self
    }
    /// Mark as unverifiable: severity info, `unverifiable: true`. `help` must say how to supply
    /// the missing input (an `assume` block, or a known value in the plan).
    pub fn unverifiable(mut self) -> Self {
        self.0.severity = crate::diagnostics::Severity::Info;
        self.0.unverifiable = true;
        self
    }
    /// The inputs an unverifiable finding lacks (listed under `missing` in the reports).
    pub fn missing(mut self, missing: Vec<crate::diagnostics::Missing>) -> Self {
        self.0.missing = missing;
        self
    }
    pub fn build(self) -> Diagnostic {
        self.0
    }
    pub fn push(self, out: &mut Vec<Diagnostic>) {
        out.push(self.0)
    }
}
