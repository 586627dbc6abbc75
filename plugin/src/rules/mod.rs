//! The rule engine: every rule is one file with a doc comment that feeds
//! `ecsnet explain` and `ecsnet rules`. Rules read the [`Model`] only.

use crate::config::Assumptions;
use crate::diagnostics::{Diagnostic, RuleId, Severity};
use crate::model::Model;

mod helpers;
pub mod unverified;
pub use helpers::DiagnosticBuilder;

/// Static description of a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// `NET070`.
    pub id: RuleId,
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
    /// The network mode of each service, worked out once for every rule of a run
    /// (`service::support::service_mode`).
    service_modes: crate::model::index::PerService<crate::model::ServiceMode>,
}

impl<'a> Context<'a> {
    /// What the rules of one run see: the model must not change while this lives.
    pub fn new(model: &'a Model, assume: &'a Assumptions) -> Self {
        Context {
            model,
            assume,
            service_modes: Default::default(),
        }
    }

    /// The memo behind `service::support::service_mode`.
    pub(crate) fn service_modes(
        &self,
    ) -> &crate::model::index::PerService<crate::model::ServiceMode> {
        &self.service_modes
    }
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
                id: $crate::diagnostics::RuleId::new($id),
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
mod config;
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
    v.extend(config::rules());
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
///
/// Rules only read the model, so on a large plan they run on every core: worker threads take
/// the next rule from a shared counter (rules differ a lot in cost, so no fixed split), and
/// the findings are put back in rule order, exactly as a sequential run would produce them.
/// Small models stay on the calling thread: starting threads would cost more than it saves.
pub fn run(cx: &Context<'_>, rules: &[&'static dyn Rule]) -> Vec<Diagnostic> {
    let workers = if out_hint(cx.model) < PARALLEL_RULES_MIN_ENTITIES {
        1
    } else {
        crate::par::threads()
    };
    run_on(cx, rules, workers)
}

/// [`run`] on `workers` threads (the calling one included).
fn run_on(cx: &Context<'_>, rules: &[&'static dyn Rule], workers: usize) -> Vec<Diagnostic> {
    // The capacity rules share one analysis of the model (see `capacity::memo`).
    let _analysis = crate::capacity::memo::scope(cx.model, cx.assume);
    let workers = workers.min(rules.len());
    // Room for about one finding per entity, reserved (not touched) up front: a rule's
    // findings are written in place instead of into a vector that doubles (and copies its
    // findings) a dozen times on a large plan.
    let hint = out_hint(cx.model);
    if workers < 2 {
        let mut out = Vec::with_capacity(hint);
        for r in rules {
            crate::cancel::check();
            r.check(cx, &mut out);
        }
        return out;
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done: Vec<(usize, Vec<Diagnostic>)> = Vec::new();
        loop {
            crate::cancel::check();
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(r) = rules.get(i) else {
                return done;
            };
            let mut out = Vec::with_capacity(hint);
            r.check(cx, &mut out);
            // Most rules find nothing: their room is given back untouched. The others keep
            // what they wrote (shrinking in place), each freed as soon as it is moved below.
            if !out.is_empty() {
                out.shrink_to_fit();
                done.push((i, out));
            }
        }
    };
    // The workers come from the process's pool (`par`), whose threads grow their heaps
    // once; a run no worker has taken by the time the caller is done is run by the caller,
    // finding no rule left. A panicking rule panics the caller, as it would without threads.
    let seats: Vec<usize> = (0..workers).collect();
    let mut per_rule: Vec<(usize, Vec<Diagnostic>)> = crate::par::map(&seats, 1, |_| work())
        .into_iter()
        .flatten()
        .collect();
    per_rule.sort_unstable_by_key(|(i, _)| *i);
    // Sized at once: collecting through `flat_map` grew the vector, copying the findings.
    let mut all = Vec::with_capacity(per_rule.iter().map(|(_, out)| out.len()).sum());
    for (_, mut out) in per_rule {
        all.append(&mut out);
    }
    all
}

/// The findings a run is expected to make, to reserve room for: one per service, task
/// definition and task set.
fn out_hint(m: &Model) -> usize {
    m.services.len() + m.task_definitions.len() + m.task_sets.len()
}

/// Below this many services, task definitions and task sets (what most rules iterate over)
/// the rules run on one thread (see [`run`]).
const PARALLEL_RULES_MIN_ENTITIES: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_come_in_the_same_order_on_several_threads() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../testdata/scenarios/sample/shop/plan.json"
        );
        let plan = crate::plan::load(path, &crate::plan::LoadOptions::default()).unwrap();
        let assume = crate::config::Assumptions::default();
        let model = crate::model::build(std::slice::from_ref(&plan), &assume);
        let cx = Context::new(&model, &assume);
        let rules = all();
        let one = run_on(&cx, &rules, 1);
        assert!(one.len() > 3, "the sample has findings: {}", one.len());
        for workers in [2, 3, 8] {
            assert!(run_on(&cx, &rules, workers) == one, "{workers} threads");
        }
    }

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
