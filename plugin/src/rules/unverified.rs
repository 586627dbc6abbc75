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
/// "Supply A; or B." with each distinct way once. Several inputs that `assume` entries
/// supply (the sizes of several subnets) become one pasteable `assume { ... }` block, the
/// other ways following it.
pub fn supply(missing: &[Missing]) -> String {
    let mut entries: Vec<&str> = Vec::new();
    for e in missing.iter().filter_map(|m| m.assume.as_deref()) {
        if !entries.contains(&e) {
            entries.push(e);
        }
    }
    let block = entries.len() > 1;
    let mut ways: Vec<&str> = Vec::new();
    for m in missing {
        if block && m.assume.is_some() {
            continue;
        }
        if !ways.contains(&m.supply.as_str()) {
            ways.push(&m.supply);
        }
    }
    if block {
        let mut s = "Supply them in .ecsnet.hcl:\nassume {".to_string();
        for e in &entries {
            s.push_str("\n  ");
            s.push_str(e);
        }
        s.push_str("\n}");
        if !ways.is_empty() {
            s.push_str(&format!("\nOr supply {}.", ways.join("; or ")));
        }
        return s;
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

/// A finding's missing inputs with their words ([`supply`], [`what`]): worked out once
/// for findings that lack the same inputs (the services of one subnet set).
#[derive(Clone)]
pub struct MissingWords {
    missing: Vec<Missing>,
    supply: String,
    what: String,
}

impl MissingWords {
    pub fn new(missing: impl IntoIterator<Item = Missing>) -> Self {
        let missing = dedup(missing);
        MissingWords {
            supply: supply(&missing),
            what: what(&missing),
            missing,
        }
    }
}

impl Unverified<'_> {
    pub fn build(mut self, cx: &Context<'_>, meta: &'static RuleMeta) -> Diagnostic {
        let words = MissingWords::new(std::mem::take(&mut self.missing));
        self.build_worded(cx, meta, words)
    }

    /// [`Unverified::build`] with the words of its missing inputs given (`self.missing`
    /// is not read).
    pub fn build_worded(
        self,
        cx: &Context<'_>,
        meta: &'static RuleMeta,
        words: MissingWords,
    ) -> Diagnostic {
        let mut b = cx
            .diag(meta, self.address, self.message)
            .attribute(self.attribute)
            .help(words.supply)
            .plan(self.plan)
            .unverifiable();
        if let Some(mut d) = self.detail {
            // "{detail}\nMissing: {what}.", added to the detail's own string.
            d.reserve_exact(words.what.len() + 11);
            d.push_str("\nMissing: ");
            d.push_str(&words.what);
            d.push('.');
            b = b.detail(d);
        }
        b.missing(words.missing).build()
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
        let a = Missing::hidden("a", "Reference the cluster directly.");
        let b = Missing::after_apply("b", "a known max_size in the plan");
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

    #[test]
    fn several_assume_entries_make_one_pasteable_block() {
        let subnet = |id: &str| {
            Missing::outside_plan(format!("the size of {id}"), format!("`{id}` in assume"))
                .with_assume(format!(
                    "subnet \"{id}\" {{ cidr_block = \"10.0.1.0/24\" }}"
                ))
        };
        let other = Missing::after_apply("max_size", "a known max_size in the plan");
        let help = supply(&[subnet("a"), subnet("b"), subnet("a"), other]);
        assert_eq!(
            help,
            "Supply them in .ecsnet.hcl:\nassume {\n  subnet \"a\" { cidr_block = \"10.0.1.0/24\" }\n  subnet \"b\" { cidr_block = \"10.0.1.0/24\" }\n}\nOr supply a known max_size in the plan."
        );
        // The block parses as the configuration ecsnet reads, one subnet per entry.
        let hcl = help.lines().skip(1).take(4).collect::<Vec<_>>().join("\n");
        let cfg = crate::config::parse_str(&hcl, ".ecsnet.hcl").expect("the block parses");
        assert_eq!(cfg.assume.subnets.len(), 2);
        // One entry alone keeps its own sentence.
        assert_eq!(supply(&[subnet("a")]), "Supply `a` in assume.");
    }

    #[test]
    fn a_missing_input_names_its_kind_and_links_decide_theirs() {
        use crate::diagnostics::MissingKind;
        use crate::model::Link;
        assert_eq!(
            MissingKind::of_link(&Link::outside("subnet-1")),
            MissingKind::OutsidePlan
        );
        let to = |a: &str| Link::to_address(a, crate::model::Resolution::ConfigReference, true);
        // A data source the plan reads only at apply; a resource another plan manages.
        assert_eq!(
            MissingKind::of_link(&to("module.app.data.aws_ecs_task_definition.web")),
            MissingKind::AfterApply
        );
        assert_eq!(
            MissingKind::of_link(&to("aws_ecs_task_definition.web")),
            MissingKind::OutsidePlan
        );
        assert_eq!(
            MissingKind::of_link(&Link::unresolved()),
            MissingKind::Hidden
        );
        assert_eq!(
            MissingKind::of_link(&Link::one_of(vec!["a".into(), "b".into()])),
            MissingKind::Hidden
        );
        let k = MissingKind::AfterApply.combine(MissingKind::OutsidePlan);
        assert_eq!(k, MissingKind::AfterApply);
        assert_eq!(k.combine(MissingKind::Hidden), MissingKind::Hidden);
        let json = serde_json::to_value(Missing::hidden("w", "s")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"what": "w", "supply": "s", "kind": "hidden"})
        );
    }
}
