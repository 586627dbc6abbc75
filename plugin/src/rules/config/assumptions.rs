//! NET099: every `assume` of `.ecsnet.hcl` names something in the plan and agrees with
//! what the plan shows.

use std::collections::BTreeSet;

use crate::config::{Assumptions, ClusterAssumption, SubnetAssumption};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::arn::cluster_name;
use crate::model::{CapacityKind, Cluster, Field, Link, Model, Subnet, Val};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// Each `assume` of `.ecsnet.hcl` against the plans being checked:
    ///
    /// - an `assume subnet` or `assume cluster` whose label names no subnet or cluster the
    ///   plan has or references is an **error** (a typo'd label would otherwise leave the
    ///   capacity it describes unused, and the rules it feeds unverifiable, without anyone
    ///   noticing); when some subnet or cluster of the plan is known only after apply, the
    ///   label may name it, and the finding is an unverifiable note instead;
    /// - an assumption that contradicts a value the plan shows is a **warning** where ecsnet
    ///   uses the plan's value (`cidr_block`, `availability_zone`, `awsvpc_trunking`,
    ///   `dual_stack_ipv6` against an `aws_ecs_account_setting_default` of the plan), and an
    ///   **error** where ecsnet uses the assumption (an `assume cluster` replaces the
    ///   capacity the plan shows for the cluster, so findings would rest on values the plan
    ///   contradicts: an instance type none of the cluster's groups or instances has, or
    ///   another total max size; one type of a mixed group is a summary, not a contradiction);
    /// - an assumption that repeats what the plan shows is an **info** note: it has become
    ///   redundant (the plan now knows the value) and can be removed, but it does not fail a
    ///   gate (unless `--fail-on info`).
    ///
    /// An unknown instance type in an `assume cluster` is a configuration error (exit code
    /// 2) before any plan is read.
    ///
    /// ## Why it matters
    /// Assumptions supply what the plan cannot show. ecsnet never applies an assumption to
    /// something it does not name, and the plan's own values win over assumed subnet and
    /// account facts; silently dropping a typo'd or stale assumption would make a gate pass
    /// or fail on facts nobody checked. The plan values compared are those of
    /// `terraform show -json` (planned values and the configuration section).
    ///
    /// ## Example
    /// ```hcl
    /// assume {
    ///   cluster "platfrom-ec2" {   # NET099: the plan's services run on "platform-ec2"
    ///     instance_type = "c5.large"
    ///     max_instances = 4
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Correct the label (the finding lists the names the plan uses), update or remove the
    /// contradicting attribute, or remove a redundant block. A configuration shared by
    /// several plans may accept an assumption that only some of them use with an `ignore`
    /// block for NET099 and the address `assume.cluster["NAME"]` (or `assume.subnet["ID"]`).
    pub struct AssumptionConsistency {
        id: "NET099",
        name: "assumption-consistency",
        severity: Error,
        summary: "An assume block must name something in the plan and agree with what the plan shows",
        url: "https://developer.hashicorp.com/terraform/internals/json-format",
    }
}

/// The assumption a finding is about.
struct Subject<'a> {
    /// `subnet`, `cluster`, or the attribute for top-level assumptions.
    kind: &'static str,
    label: Option<&'a str>,
    location: Option<&'a str>,
}

impl Subject<'_> {
    /// The finding's address: `assume.cluster["prod"]`, `assume.awsvpc_trunking`.
    fn address(&self) -> String {
        match self.label {
            Some(l) => format!("assume.{}[\"{l}\"]", self.kind),
            None => format!("assume.{}", self.kind),
        }
    }
    fn describe(&self) -> String {
        let what = match self.label {
            Some(l) => format!("assume {} \"{l}\"", self.kind),
            None => format!("assume {}", self.kind),
        };
        match self.location {
            Some(at) => format!("{what} ({at})"),
            None => what,
        }
    }
}

/// Which value ecsnet judges with when an assumption and the plan disagree.
#[derive(Clone, Copy)]
enum Used {
    Plan,
    Assumption,
}

/// What the plan says about one assumption.
enum Verdict {
    /// It names nothing the plan has or references; `candidates` are the names it does use.
    Unmatched { candidates: Vec<String> },
    /// It names nothing the plan shows, but `unknown` is known only after apply.
    Undecided { unknown: String },
    /// The plan shows another value for `attr`.
    Contradicts {
        attr: &'static str,
        assumed: String,
        planned: String,
        at: String,
        used: Used,
    },
    /// The plan shows the same values.
    Redundant { values: String, at: String },
}

impl AssumptionConsistency {
    /// One message per kind of verdict.
    fn report(cx: &Context<'_>, s: &Subject<'_>, v: Verdict, out: &mut Vec<Diagnostic>) {
        let who = s.describe();
        let d = match v {
            Verdict::Unmatched { candidates } => {
                let hint = s
                    .label
                    .and_then(|l| {
                        let c: Vec<&str> = candidates.iter().map(String::as_str).collect();
                        crate::report::suggest::closest(l, &c)
                    })
                    .map(|c| format!("did you mean \"{c}\"? "))
                    .unwrap_or_default();
                let names = if candidates.is_empty() {
                    format!("the plan has no {}", s.kind)
                } else {
                    format!("the plan's {}s: {}", s.kind, list(&candidates))
                };
                let labels = match s.kind {
                    "subnet" => "a subnet's id or plan address",
                    _ => "a cluster's name, ARN or plan address",
                };
                cx.diag(&Self::META, &s.address(), format!("{who} names no {} in the plan, so ecsnet does not use it", s.kind))
                    .detail(names)
                    .help(format!("Fix the label ({hint}it is {labels}). If this .ecsnet.hcl also serves plans that do have it, accept this finding with an ignore block for rule NET099 and address {}, with the reason.", s.address()))
            }
            Verdict::Undecided { unknown } => cx
                .diag(&Self::META, &s.address(), format!("could not verify that {who} names a {} of this plan: {unknown} is known only after apply", s.kind))
                .help(format!("Label the block with the {}'s plan address, which is known before apply; until the value is known, ecsnet does not use the assumption.", s.kind))
                .unverifiable()
                .missing(vec![crate::diagnostics::Missing::after_apply(format!("{unknown} (known after apply)"), format!("the {}'s plan address as the block's label", s.kind))]),
            Verdict::Contradicts { attr, assumed, planned, at, used } => {
                let (sev, judged, fix) = match used {
                    Used::Plan => (Severity::Warning, "ecsnet uses the plan's value", format!("Remove {attr} from the assume block (or the whole block): the plan knows it.")),
                    Used::Assumption => (Severity::Error, "ecsnet judges the cluster with the assumption", "Make the assume block match the plan, or remove it so that ecsnet uses the capacity the plan shows.".to_string()),
                };
                // A top-level assumption is its own attribute: `assume awsvpc_trunking says enabled`.
                let what = if s.label.is_some() { format!("{attr} {assumed}") } else { assumed };
                cx.diag(&Self::META, &s.address(), format!("{who} says {what}, but the plan shows {planned} ({at}); {judged}"))
                    .severity(sev)
                    .attribute(attr)
                    .help(fix)
                    .related(at)
            }
            Verdict::Redundant { values, at } => cx
                .diag(&Self::META, &s.address(), format!("{who} repeats what the plan shows ({values} in {at}); it can be removed"))
                .severity(Severity::Info)
                .help("Remove the assumption: the plan now shows these values.")
                .related(at),
        };
        d.push(out);
    }
}

impl Rule for AssumptionConsistency {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let a: &Assumptions = cx.assume;
        let m = cx.model;
        for (label, s) in &a.subnets {
            let subject = Subject {
                kind: "subnet",
                label: Some(label),
                location: a.locations.subnets.get(label).map(String::as_str),
            };
            for v in subnet_verdicts(m, label, s) {
                Self::report(cx, &subject, v, out);
            }
        }
        for (label, c) in &a.clusters {
            let subject = Subject {
                kind: "cluster",
                label: Some(label),
                location: a.locations.clusters.get(label).map(String::as_str),
            };
            for v in cluster_verdicts(m, label, c) {
                Self::report(cx, &subject, v, out);
            }
        }
        let settings = &m.account_settings;
        for (kind, assumed, planned, at, location) in [
            (
                "awsvpc_trunking",
                a.awsvpc_trunking,
                &settings.awsvpc_trunking,
                &settings.awsvpc_trunking_address,
                &a.locations.awsvpc_trunking,
            ),
            (
                "dual_stack_ipv6",
                a.dual_stack_ipv6,
                &settings.dual_stack_ipv6,
                &settings.dual_stack_ipv6_address,
                &a.locations.dual_stack_ipv6,
            ),
        ] {
            let subject = Subject {
                kind,
                label: None,
                location: location.as_deref(),
            };
            if let Some(v) = setting_verdict(kind, assumed, planned, at.as_deref()) {
                Self::report(cx, &subject, v, out);
            }
        }
    }
}

/// An account setting the plan sets itself wins over the assumption.
fn setting_verdict(
    attr: &'static str,
    assumed: Option<bool>,
    planned: &Field<bool>,
    at: Option<&str>,
) -> Option<Verdict> {
    let (a, p) = (assumed?, *planned.get()?);
    let at = at.unwrap_or("aws_ecs_account_setting_default").to_string();
    let state = |b: bool| if b { "enabled" } else { "disabled" }.to_string();
    Some(if a == p {
        Verdict::Redundant {
            values: format!("{attr} {}", state(p)),
            at,
        }
    } else {
        Verdict::Contradicts {
            attr,
            assumed: state(a),
            planned: state(p),
            at,
            used: Used::Plan,
        }
    })
}

fn is_data(address: &str) -> bool {
    address.starts_with("data.") || address.contains(".data.")
}

/// Every subnet link of the plan's services, task sets, groups and instances, with what
/// holds it; `None` for a list known only after apply.
fn subnet_links(m: &Model) -> Vec<(&str, Option<&[Link]>)> {
    fn list(f: &Field<Vec<Link>>) -> Option<&[Link]> {
        f.get().map(Vec::as_slice)
    }
    fn network(f: &Field<Option<crate::model::AwsvpcConfiguration>>) -> Option<&[Link]> {
        match &f.val {
            Val::Known(Some(nc)) => list(&nc.subnets),
            Val::Known(None) | Val::Null => Some(&[]),
            Val::Unknown => None,
        }
    }
    let mut out: Vec<(&str, Option<&[Link]>)> = Vec::new();
    out.extend(
        m.services
            .iter()
            .map(|s| (s.address.as_str(), network(&s.network_configuration))),
    );
    out.extend(
        m.task_sets
            .iter()
            .map(|t| (t.address.as_str(), network(&t.network_configuration))),
    );
    out.extend(
        m.autoscaling_groups
            .iter()
            .map(|g| (g.address.as_str(), list(&g.subnets))),
    );
    out.extend(m.instances.iter().map(|i| {
        (
            i.address.as_str(),
            i.subnet.as_ref().map(std::slice::from_ref),
        )
    }));
    out
}

fn subnet_verdicts(m: &Model, key: &str, a: &SubnetAssumption) -> Vec<Verdict> {
    let named = |s: &&Subnet| s.address == key || s.id.get().is_some_and(|i| i == key);
    let mut planned: Vec<&Subnet> = m.subnets.iter().filter(named).collect();
    // A managed subnet and a data source reading it: the managed one is the subnet.
    if planned.iter().any(|s| !is_data(&s.address)) {
        planned.retain(|s| !is_data(&s.address));
    }
    if let Some(s) = planned.first() {
        return compare_subnet(s, a);
    }
    let links = subnet_links(m);
    let refers = |l: &Link| l.address.as_deref() == Some(key) || l.literal.as_deref() == Some(key);
    if links
        .iter()
        .any(|(_, ls)| ls.is_some_and(|ls| ls.iter().any(refers)))
    {
        return Vec::new();
    }
    let unknown: Vec<String> = links
        .iter()
        .filter(|(_, ls)| {
            ls.is_none_or(|ls| {
                ls.iter()
                    .any(|l| l.address.is_none() && l.literal.is_none())
            })
        })
        .map(|(a, _)| format!("the subnets of {a}"))
        .chain(
            m.subnets
                .iter()
                .filter(|s| s.id.is_unknown())
                .map(|s| format!("the id of {}", s.address)),
        )
        .collect();
    if !unknown.is_empty() {
        return vec![Verdict::Undecided {
            unknown: list(&unknown),
        }];
    }
    let mut candidates: BTreeSet<String> = m
        .subnets
        .iter()
        .filter_map(|s| s.id.get().filter(|_| !s.id.sensitive).cloned())
        .collect();
    for (_, ls) in &links {
        for l in ls.unwrap_or_default() {
            candidates.extend(l.literal.clone().filter(|x| x != "(sensitive)"));
        }
    }
    vec![Verdict::Unmatched {
        candidates: candidates.into_iter().collect(),
    }]
}

/// The plan's CIDR and zone win over assumed ones (NET072, NET046).
fn compare_subnet(s: &Subnet, a: &SubnetAssumption) -> Vec<Verdict> {
    let mut out = Vec::new();
    let mut repeated = Vec::new();
    for (attr, assumed, planned) in [
        ("cidr_block", &a.cidr_block, &s.cidr_block),
        (
            "availability_zone",
            &a.availability_zone,
            &s.availability_zone,
        ),
    ] {
        let (Some(x), Some(p)) = (assumed, planned.get()) else {
            if assumed.is_some() {
                // The plan does not know it: the assumption is what ecsnet uses.
                return out;
            }
            continue;
        };
        if x.trim() == p.trim() {
            repeated.push(format!("{attr} {}", planned.show()));
        } else {
            out.push(Verdict::Contradicts {
                attr,
                assumed: x.clone(),
                planned: planned.show(),
                at: s.address.clone(),
                used: Used::Plan,
            });
        }
    }
    // free_addresses has no counterpart in the plan: the block still says something.
    if out.is_empty() && a.free_addresses.is_none() && !repeated.is_empty() {
        out.push(Verdict::Redundant {
            values: repeated.join(", "),
            at: s.address.clone(),
        });
    }
    out
}

fn cluster_verdicts(m: &Model, key: &str, a: &ClusterAssumption) -> Vec<Verdict> {
    let name = cluster_name(key);
    let named =
        |c: &&Cluster| c.address == key || c.name.get().is_some_and(|n| n == key || n == name);
    if let Some(c) = m.clusters.iter().find(named) {
        return compare_cluster(m, c, a);
    }
    let refers = |l: &Link| {
        l.address.as_deref() == Some(key)
            || l.literal
                .as_deref()
                .is_some_and(|x| cluster_name(x) == name)
    };
    let by_user_data = m
        .autoscaling_groups
        .iter()
        .map(|g| &g.ecs_cluster_from_user_data)
        .chain(m.instances.iter().map(|i| &i.ecs_cluster_from_user_data))
        .any(|u| u.as_deref() == Some(name));
    let links = m
        .services
        .iter()
        .map(|s| (&s.address, &s.cluster))
        .chain(m.task_sets.iter().map(|t| (&t.address, &t.cluster)));
    if by_user_data || links.clone().any(|(_, l)| refers(l)) {
        return Vec::new();
    }
    let unknown: Vec<String> = links
        .clone()
        .filter(|(_, l)| l.address.is_none() && l.literal.is_none())
        .map(|(a, _)| format!("the cluster of {a}"))
        .chain(
            m.clusters
                .iter()
                .filter(|c| c.name.is_unknown())
                .map(|c| format!("the name of {}", c.address)),
        )
        .collect();
    if !unknown.is_empty() {
        return vec![Verdict::Undecided {
            unknown: list(&unknown),
        }];
    }
    let mut candidates: BTreeSet<String> = m
        .clusters
        .iter()
        .filter_map(|c| c.name.get().filter(|_| !c.name.sensitive).cloned())
        .collect();
    candidates.extend(
        links
            .filter_map(|(_, l)| l.literal.as_deref())
            .filter(|x| *x != "(sensitive)")
            .map(|x| cluster_name(x).to_string()),
    );
    vec![Verdict::Unmatched {
        candidates: candidates.into_iter().collect(),
    }]
}

/// An `assume cluster` replaces the capacity the plan shows for the cluster
/// (`capacity::cluster`): compare it with the plan's groups and instances.
fn compare_cluster(m: &Model, c: &Cluster, a: &ClusterAssumption) -> Vec<Verdict> {
    let mut types: BTreeSet<String> = BTreeSet::new();
    let mut types_known = true;
    let mut max: Option<u64> = Some(0);
    let mut at: Vec<String> = Vec::new();
    for s in &c.capacity {
        let Some(addr) = s.address.as_deref() else {
            continue;
        };
        match s.kind {
            CapacityKind::AutoscalingGroup => {
                let Some(g) = m.autoscaling_group_in(addr, c.plan) else {
                    continue;
                };
                match g.instance_types.get() {
                    Some(t) => types.extend(t.iter().map(|t| t.to_ascii_lowercase())),
                    None => types_known = false,
                }
                max = match (max, g.max_size.get()) {
                    (Some(n), Some(&k)) => u64::try_from(k).ok().map(|k| n + k),
                    _ => None,
                };
            }
            CapacityKind::Instance => {
                let Some(i) = m.instance_in(addr, c.plan) else {
                    continue;
                };
                match i.instance_type.get() {
                    Some(t) => {
                        types.insert(t.to_ascii_lowercase());
                    }
                    None => types_known = false,
                }
                max = max.map(|n| n + 1);
            }
            _ => continue,
        }
        at.push(addr.to_string());
    }
    if at.is_empty() {
        // Nothing in the plan: the assumption describes capacity outside it.
        return Vec::new();
    }
    let at = at.join(", ");
    let assumed_type = a.instance_type.to_ascii_lowercase();
    let mut out = Vec::new();
    // With several types in the plan (mixed instances), assuming one of them is a summary,
    // not a contradiction.
    if types_known && !types.contains(&assumed_type) {
        out.push(Verdict::Contradicts {
            attr: "instance_type",
            assumed: a.instance_type.clone(),
            planned: types.iter().cloned().collect::<Vec<_>>().join(", "),
            at: at.clone(),
            used: Used::Assumption,
        });
    }
    if let Some(n) = max.filter(|&n| n != a.max_instances) {
        out.push(Verdict::Contradicts {
            attr: "max_instances",
            assumed: a.max_instances.to_string(),
            planned: format!("{n} at max size"),
            at: at.clone(),
            used: Used::Assumption,
        });
    }
    if out.is_empty() && types_known && types.len() == 1 && max.is_some() {
        out.push(Verdict::Redundant {
            values: format!("{} × {}", a.max_instances, a.instance_type),
            at,
        });
    }
    out
}

/// `a, b and c`, at most five named.
fn list(items: &[String]) -> String {
    const MAX: usize = 5;
    let shown: Vec<&str> = items.iter().take(MAX).map(String::as_str).collect();
    let more = items.len().saturating_sub(MAX);
    match (shown.as_slice(), more) {
        ([], _) => String::new(),
        ([one], 0) => one.to_string(),
        (many, 0) => format!(
            "{} and {}",
            many[..many.len() - 1].join(", "),
            many[many.len() - 1]
        ),
        (many, n) => format!("{} and {n} more", many.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{CapacitySource, Resolution};

    fn run(m: &Model, a: &Assumptions) -> Vec<Diagnostic> {
        let cx = Context::new(m, a);
        let mut out = Vec::new();
        AssumptionConsistency.check(&cx, &mut out);
        out
    }

    fn cluster_assumption(t: &str, n: u64) -> ClusterAssumption {
        ClusterAssumption {
            instance_type: t.into(),
            max_instances: n,
            availability_zones: vec![],
        }
    }

    fn service_on(cluster: Link) -> crate::model::Service {
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        s.cluster = cluster;
        s
    }

    #[test]
    fn a_label_that_names_nothing_is_an_error_with_a_suggestion() {
        let mut m = Model::default();
        m.services.push(service_on(Link::outside(
            "arn:aws:ecs:eu-west-1:123456789012:cluster/platform-ec2",
        )));
        let mut a = Assumptions::default();
        a.clusters
            .insert("platfrom-ec2".into(), cluster_assumption("c5.large", 4));
        a.locations
            .clusters
            .insert("platfrom-ec2".into(), ".ecsnet.hcl:3".into());
        let d = run(&m, &a);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(d[0].address, "assume.cluster[\"platfrom-ec2\"]");
        assert!(d[0].message.contains("(.ecsnet.hcl:3)"), "{}", d[0].message);
        assert!(d[0]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean \"platform-ec2\""));
        // The right label, by name or by ARN, is used: nothing to say.
        for key in [
            "platform-ec2",
            "arn:aws:ecs:eu-west-1:123456789012:cluster/platform-ec2",
        ] {
            let mut a = Assumptions::default();
            a.clusters
                .insert(key.into(), cluster_assumption("c5.large", 4));
            assert!(run(&m, &a).is_empty(), "{key}");
        }
    }

    #[test]
    fn an_unknown_reference_makes_it_a_note() {
        let mut m = Model::default();
        m.services.push(service_on(Link::unresolved()));
        let mut a = Assumptions::default();
        a.clusters
            .insert("prod".into(), cluster_assumption("c5.large", 4));
        let d = run(&m, &a);
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
        assert!(d[0].message.contains("the cluster of aws_ecs_service.api"));
    }

    #[test]
    fn a_cluster_with_capacity_in_the_plan_is_compared() {
        let mut m = Model::default();
        m.autoscaling_groups.push(t::autoscaling_group(
            "aws_autoscaling_group.ecs",
            &["c5.large"],
            3,
        ));
        let mut c = t::cluster("aws_ecs_cluster.main", &["aws_autoscaling_group.ecs"]);
        c.name = Field::known("main".into());
        m.clusters.push(c);
        let mut a = Assumptions::default();
        a.clusters
            .insert("main".into(), cluster_assumption("c5.large", 3));
        let d = run(&m, &a);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Info);
        assert!(d[0].message.contains("repeats what the plan shows"));
        a.clusters
            .insert("main".into(), cluster_assumption("m5.xlarge", 5));
        let d = run(&m, &a);
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.severity == Severity::Error));
        assert!(d[0]
            .message
            .contains("ecsnet judges the cluster with the assumption"));
        // Mixed instance types: assuming one of them is no contradiction.
        m.autoscaling_groups[0].instance_types =
            Field::known(vec!["c5.large".into(), "m5.xlarge".into()]);
        m.autoscaling_groups[0].max_size = Field::known(5);
        assert!(run(&m, &a).is_empty());
        // A cluster without capacity in the plan: the assumption supplies it.
        m.clusters[0].capacity.clear();
        assert!(run(&m, &a).is_empty());
        m.clusters[0].capacity.push(CapacitySource {
            address: None,
            kind: CapacityKind::Assumed,
            via: Resolution::Assumption,
            certain: true,
            capacity_provider: None,
            candidates: Vec::new(),
            provider_address: None,
        });
        assert!(run(&m, &a).is_empty());
    }

    #[test]
    fn subnets_the_plan_knows_win() {
        let mut m = Model::default();
        let mut s = t::subnet("aws_subnet.a", "10.0.1.0/24", "eu-west-1a");
        s.id = Field::known("subnet-1".into());
        m.subnets.push(s);
        let mut a = Assumptions::default();
        a.subnets.insert(
            "subnet-1".into(),
            SubnetAssumption {
                cidr_block: Some("10.0.9.0/24".into()),
                free_addresses: None,
                availability_zone: Some("eu-west-1a".into()),
            },
        );
        let d = run(&m, &a);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].attribute.as_deref(), Some("cidr_block"));
        assert!(d[0].message.contains("ecsnet uses the plan's value"));
        a.subnets.get_mut("subnet-1").unwrap().cidr_block = Some("10.0.1.0/24".into());
        let d = run(&m, &a);
        assert_eq!(d[0].severity, Severity::Info);
        // free_addresses has no counterpart in the plan: still in use.
        a.subnets.get_mut("subnet-1").unwrap().free_addresses = Some(40);
        assert!(run(&m, &a).is_empty());
        // Unknown in the plan: the assumption is used.
        m.subnets[0].cidr_block = Field::unknown();
        a.subnets.get_mut("subnet-1").unwrap().free_addresses = None;
        assert!(run(&m, &a).is_empty());
    }

    #[test]
    fn subnets_outside_the_plan_and_typos() {
        let mut m = Model::default();
        let mut s = service_on(Link::outside("prod"));
        s.network_configuration = Field::known(Some(crate::model::AwsvpcConfiguration {
            subnets: Field::known(vec![Link::outside("subnet-0abc1234")]),
            security_groups: Field::known(vec![]),
            security_groups_at_most: None,
            security_groups_hidden: None,
            subnet_candidates: None,
            assign_public_ip: Field::known(false),
        }));
        m.services.push(s);
        let mut a = Assumptions::default();
        let free = SubnetAssumption {
            cidr_block: None,
            free_addresses: Some(100),
            availability_zone: None,
        };
        a.subnets.insert("subnet-0abc1234".into(), free.clone());
        assert!(run(&m, &a).is_empty());
        a.subnets.clear();
        a.subnets.insert("subnet-0abc1243".into(), free);
        let d = run(&m, &a);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean \"subnet-0abc1234\""));
    }

    #[test]
    fn account_settings_in_the_plan_win() {
        let mut m = Model::default();
        m.account_settings.awsvpc_trunking = Field::known(false);
        m.account_settings.awsvpc_trunking_address =
            Some("aws_ecs_account_setting_default.trunking".into());
        let a = Assumptions {
            awsvpc_trunking: Some(true),
            dual_stack_ipv6: Some(true),
            ..Assumptions::default()
        };
        let d = run(&m, &a);
        assert_eq!(d.len(), 1, "dual_stack_ipv6 is not in the plan: used");
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].address, "assume.awsvpc_trunking");
        m.account_settings.awsvpc_trunking = Field::known(true);
        assert_eq!(run(&m, &a)[0].severity, Severity::Info);
    }
}
