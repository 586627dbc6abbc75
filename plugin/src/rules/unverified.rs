//! "Could not verify" findings: the one place that words them. A rule that cannot decide
//! says what it checked, names every missing input once ([`Missing`]) and how to supply it;
//! the capacity rules (NET070–NET076) and the service-wiring rules (NET040–NET081) both
//! build their notes here.

use crate::diagnostics::{Diagnostic, Missing};
use crate::rules::{Context, RuleMeta};

/// Deduplicated missing inputs, in first-seen order.
pub fn dedup(missing: impl IntoIterator<Item = Missing>) -> Vec<Missing> {
    let mut out: Vec<Missing> = Vec::new();
    for m in missing {
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

/// "the max_size of X (known after apply); the CIDR of Y".
pub fn what(missing: &[Missing]) -> String {
    if missing.is_empty() {
        return "an input is unknown".to_string();
    }
    missing
        .iter()
        .map(|m| m.what.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// How to supply the inputs: one way written as a sentence is kept as it is; otherwise
/// "Supply A; or B." with each distinct way once.
pub fn supply(missing: &[Missing]) -> String {
    let mut ways: Vec<&str> = Vec::new();
    for m in missing {
        if !ways.contains(&m.supply.as_str()) {
            ways.push(&m.supply);
        }
    }
    match ways.as_slice() {
        [] => "Make the inputs known at plan time or describe them with an `assume` block in .ecsnet.hcl.".to_string(),
        [one] if one.starts_with(|c: char| c.is_ascii_uppercase()) => one.to_string(),
        _ => format!("Supply {}.", ways.join("; or ")),
    }
}

/// One "could not verify" finding.
pub struct Unverified<'a> {
    pub address: &'a str,
    pub plan: usize,
    pub attribute: &'a str,
    /// What could not be verified, one line.
    pub message: String,
    /// The arithmetic so far; "Missing: …" is added to it. `None`: the message says it all.
    pub detail: Option<String>,
    pub missing: Vec<Missing>,
}

impl Unverified<'_> {
    pub fn build(self, cx: &Context<'_>, meta: &'static RuleMeta) -> Diagnostic {
        let missing = dedup(self.missing);
        let mut b = cx
            .diag(meta, self.address, self.message)
            .attribute(self.attribute)
            .help(supply(&missing))
            .plan(self.plan)
            .unverifiable();
        if let Some(d) = self.detail {
            b = b.detail(format!("{d}\nMissing: {}.", what(&missing)));
        }
        b.build()
    }

    pub fn push(self, cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        out.push(self.build(cx, meta));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supply_keeps_one_sentence_and_lists_the_rest() {
        let a = Missing::new("a", "Reference the cluster directly.");
        let b = Missing::new("b", "a known max_size in the plan");
        assert_eq!(
            supply(std::slice::from_ref(&a)),
            "Reference the cluster directly."
        );
        assert_eq!(
            supply(std::slice::from_ref(&b)),
            "Supply a known max_size in the plan."
        );
        assert_eq!(
            supply(&[b.clone(), b.clone()]),
            "Supply a known max_size in the plan."
        );
        assert_eq!(dedup([b.clone(), b]).len(), 1);
    }
}
