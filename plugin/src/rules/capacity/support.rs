//! Wording shared by the capacity rules: unverifiable findings that name every missing
//! input once, and how to supply it.

use crate::capacity::{Analysis, ClusterReport, Missing, TrunkingSetting};
use crate::diagnostics::Diagnostic;
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

/// "Supply: A. Supply: B." with each distinct way once.
pub fn supply(missing: &[Missing]) -> String {
    let mut ways: Vec<&str> = Vec::new();
    for m in missing {
        if !ways.contains(&m.supply.as_str()) {
            ways.push(&m.supply);
        }
    }
    if ways.is_empty() {
        return "Make the inputs known at plan time or describe them with an `assume` block in .ecsnet.hcl.".to_string();
    }
    format!("Supply {}.", ways.join("; or "))
}

/// The trunking setting as a missing input, when it is unknown and matters.
pub fn trunking_missing(setting: &TrunkingSetting) -> Option<Missing> {
    match setting {
        TrunkingSetting::Unknown { why } => Some(Missing {
            what: format!("whether awsvpcTrunking is enabled ({why})"),
            supply: crate::capacity::trunking::SUPPLY_TRUNKING.to_string(),
        }),
        _ => None,
    }
}

/// Missing inputs behind a cluster's slot count, plus the trunking setting when the
/// count depends on it.
pub fn slot_missing(a: &Analysis, c: &ClusterReport) -> Vec<Missing> {
    let mut m = c.capacity.missing.clone();
    if c.capacity.slots_without_trunking != c.capacity.slots_with_trunking {
        m.extend(trunking_missing(&a.trunking));
    }
    m
}

pub struct Unverifiable<'a> {
    pub address: &'a str,
    pub plan: usize,
    pub attribute: &'a str,
    pub message: String,
    pub detail: String,
    pub missing: Vec<Missing>,
}

pub fn push_unverifiable(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    u: Unverifiable<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let missing = dedup(u.missing);
    cx.diag(meta, u.address, u.message)
        .attribute(u.attribute)
        .detail(format!("{}\nMissing: {}.", u.detail, what(&missing)))
        .help(supply(&missing))
        .plan(u.plan)
        .unverifiable()
        .push(out);
}
