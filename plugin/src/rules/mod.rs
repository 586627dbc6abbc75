//! The rule engine: every rule is one file with a doc comment that feeds
//! `ecsnet explain` and `ecsnet rules`. Rules read the [`Model`] only.

use crate::config::Assumptions;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Model;

mod helpers;
pub use helpers::DiagnosticBuilder;

/// Static description of a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// `NET070`.
    pub id: &'static str,
    /// Kebab-case name, e.g. `eni-capacity`.
    pub name: &'static str,
    pub default_severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// AWS source for the rule.
    pub url: &'static str,
    /// The rule's doc comment (markdown): what it checks, why it matters, an example, how to fix.
    pub doc: &'static str,
}

/// What a rule sees.
pub struct Context<'a> {
    pub model: &'a Model,
    pub assume: &'a Assumptions,
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Append findings. Use [`Context::diag`] so ids, urls and severities stay consistent.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Declares a rule type and its metadata from its doc comment.
///
/// ```text
/// declare_rule! {
///     /// ## What it checks
///     /// ...
///     pub struct ValidNetworkMode {
///         id: "NET001",
///         name: "valid-network-mode",
///         severity: Error,
///         summary: "network_mode must be awsvpc, bridge, host or none",
///         url: "https://docs.aws.amazon.com/...",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            name: $rname:literal,
            severity: $sev:ident,
            summary: $summary:literal,
            url: $url:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                name: $rname,
                default_severity: $crate::diagnostics::Severity::$sev,
                summary: $summary,
                url: $url,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}

mod capacity;
mod container;
mod daemon;
mod discovery;
mod ipv6;
mod load_balancer;
mod mode;
mod ports;
mod service;

/// Every rule, in id order.
pub fn all() -> Vec<&'static dyn Rule> {
    let mut v: Vec<&'static dyn Rule> = Vec::new();
    v.extend(mode::rules());
    v.extend(ports::rules());
    v.extend(container::rules());
    v.extend(service::rules());
    v.extend(load_balancer::rules());
    v.extend(discovery::rules());
    v.extend(capacity::rules());
    v.extend(daemon::rules());
    v.extend(ipv6::rules());
    v.sort_by_key(|r| r.meta().id);
    v
}

/// Look a rule up by id (case-insensitive) or name.
pub fn find(key: &str) -> Option<&'static dyn Rule> {
    all()
        .into_iter()
        .find(|r| r.meta().id.eq_ignore_ascii_case(key) || r.meta().name == key)
}

/// Run every rule on the model. Severity overrides, disabling and ignores are applied by
/// `crate::engine`, not here.
pub fn run(cx: &Context<'_>, rules: &[&'static dyn Rule]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in rules {
        r.check(cx, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_documented() {
        let rules = all();
        let mut ids: Vec<_> = rules.iter().map(|r| r.meta().id).collect();
        ids.dedup();
        assert_eq!(ids.len(), rules.len(), "duplicate rule ids");
        for r in &rules {
            let m = r.meta();
            assert!(m.id.starts_with("NET") && m.id.len() == 6, "{}", m.id);
            assert!(m.url.starts_with("https://"), "{} url", m.id);
            for section in ["## What it checks", "## Why", "## Example", "## How to fix"] {
                assert!(m.doc.contains(section), "{} doc lacks {section}", m.id);
            }
        }
    }
}
