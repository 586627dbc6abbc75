//! A cluster's container-instance capacity at its autoscaling groups' max size: how many
//! instances, and how many awsvpc task slots (ENIs) they offer.

use serde::Serialize;

use super::bound::Bound;
use super::demand::Counted;
use super::trunking::{self, TrunkingSetting, TurnedOn};
use super::{Missing, MissingKind};
use crate::config::{Assumptions, ClusterAssumption, ClusterNames};
use std::sync::Arc;

use crate::instances::{Catalog, InstanceFacts, Trunking};
use crate::model::{CapacityKind, CapacitySource, Cluster, Link, Model, PlanIndex, Relaunch, Val};

/// Which cluster a service runs on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClusterKey {
    /// An `aws_ecs_cluster` in the plan.
    Plan { plan: usize, address: String },
    /// A cluster outside the plan, by name (ARNs are reduced to the name).
    Outside { name: String },
}

impl ClusterKey {
    pub fn label(&self) -> String {
        match self {
            ClusterKey::Plan { address, .. } => address.clone(),
            ClusterKey::Outside { name } => format!("cluster {name} (outside the plan)"),
        }
    }
}

/// One instance type's slots on one instance.
#[derive(Debug, Clone, Serialize)]
pub struct TypeSlots {
    pub instance_type: String,
    /// ENI facts; `None` when ecsnet does not know the type.
    #[serde(skip)]
    pub facts: Option<Arc<InstanceFacts>>,
    pub max_enis: Option<u32>,
    /// `max_enis − 1`.
    pub without_trunking: Option<u32>,
    /// The trunking table's value when it applies to the type.
    pub with_trunking: Option<u32>,
    pub trunking_status: &'static str,
    /// Slots per instance under the current setting, before daemons.
    pub slots: Bound,
    /// Slots per instance under the current setting, after awsvpc daemons.
    pub slots_after_daemons: Bound,
}

/// One place container instances come from.
#[derive(Debug, Clone, Serialize)]
pub struct SourceCapacity {
    /// `aws_autoscaling_group.ecs`, `aws_instance.a`, or `assume cluster "prod"`.
    pub label: String,
    pub address: Option<String>,
    pub kind: CapacityKind,
    pub capacity_provider: Option<String>,
    /// The capacity provider's address, when a provider leads to the source.
    #[serde(skip)]
    pub provider_address: Option<String>,
    /// The capacity provider has managed scaling (cluster auto scaling) on.
    pub managed_scaling: Option<bool>,
    /// Container instances at the most (the group's `max_size`).
    pub instances: Result<Counted, Missing>,
    pub types: Vec<TypeSlots>,
    /// Index in `types` of the type with the fewest slots (what ecsnet counts for every
    /// instance of a mixed group).
    pub smallest: Option<usize>,
    /// `types` are the candidates of a launch template the configuration hides: every
    /// instance is of one of them, not known which, so the slots per instance range from
    /// the candidate with the fewest to the one with the most (not the smallest alone).
    pub one_of_types: bool,
    /// Slots per instance, after daemons.
    pub per_instance: Bound,
    /// Same with trunking forced off / on, for "with and without" messages.
    pub per_instance_without_trunking: Bound,
    pub per_instance_with_trunking: Bound,
    /// What turns resource-based IPv4 DNS A records on for the instances (a launch
    /// template, or the subnets they launch into when the template leaves it to them),
    /// which keeps them from getting a trunk interface.
    pub dns_a_record_on: Option<DnsARecord>,
    /// Why trunking cannot apply to these instances whatever the setting (Windows).
    pub no_trunk: Option<String>,
    /// Instances running before this plan turns awsvpcTrunking on that it does not replace:
    /// they keep the untrunked limit.
    pub launched_before: Option<LaunchedBefore>,
    /// False when the link from the cluster is a best guess.
    pub certain: bool,
    pub missing: Vec<Missing>,
    /// When the configuration hides which of several autoscaling groups the capacity
    /// provider uses: the capacity of each candidate. Every count of the source then spans
    /// them, from the candidate with the least to the one with the most ([`span`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub one_of: Vec<SourceCapacity>,
}

/// The worst and the best of `f` over the candidates of a source whose group is one of
/// several ([`crate::model::span_of`], the one place candidates are spanned).
pub fn span(candidates: &[SourceCapacity], f: impl Fn(&SourceCapacity) -> Bound) -> Bound {
    crate::model::span_of(candidates.iter().map(|c| f(c).into()))
        .map_or(Bound::unknown(), Bound::from)
}

impl SourceCapacity {
    pub fn instances_bound(&self) -> Bound {
        if !self.one_of.is_empty() {
            return span(&self.one_of, SourceCapacity::instances_bound);
        }
        self.instances
            .as_ref()
            .map_or(Bound::unknown(), |c| Bound::exact(c.n))
    }
    /// Slots at max size with trunking forced off (what "without trunking" words show).
    pub fn slots_without_trunking(&self) -> Bound {
        if !self.one_of.is_empty() {
            return span(&self.one_of, SourceCapacity::slots_without_trunking);
        }
        self.instances_bound()
            .times(self.per_instance_without_trunking)
    }
    /// Slots at max size with trunking forced on.
    pub fn slots_with_trunking(&self) -> Bound {
        if !self.one_of.is_empty() {
            return span(&self.one_of, SourceCapacity::slots_with_trunking);
        }
        self.instances_bound()
            .times(self.per_instance_with_trunking)
    }
    pub fn slots(&self) -> Bound {
        if !self.one_of.is_empty() {
            return span(&self.one_of, SourceCapacity::slots);
        }
        let all = self.instances_bound();
        let Some(lb) = &self.launched_before else {
            return all.times(self.per_instance);
        };
        // `k` instances at the untrunked limit, the others (launched later, up to max size)
        // at the current one; fewer slots the more instances are old.
        let at = |k: u64| {
            let k = Bound::exact(k).min(all);
            k.times(self.per_instance_without_trunking) + all.minus(k).times(self.per_instance)
        };
        match lb.instances.hi {
            Some(hi) => at(lb.instances.lo).hull(at(hi)),
            None => at(lb.instances.lo).hull(all.times(self.per_instance_without_trunking)),
        }
    }

    /// "3 × 2 + 0 × 10 = 6": the slots of the instances launched before trunking was turned
    /// on and of the others, when their number is known.
    pub fn launched_before_arithmetic(&self) -> Option<String> {
        let lb = self.launched_before.as_ref()?;
        let (Some(k), Some(n)) = (
            lb.instances.exact_value(),
            self.instances_bound().exact_value(),
        ) else {
            return None;
        };
        let k = k.min(n);
        Some(format!(
            "{k} × {} + {} × {} = {}",
            self.per_instance_without_trunking.show(),
            n - k,
            self.per_instance.show(),
            self.slots().show()
        ))
    }
    pub fn smallest_type(&self) -> Option<&TypeSlots> {
        self.smallest.map(|i| &self.types[i])
    }

    /// "3 × c5.large (aws_autoscaling_group.ecs max_size 3) at 2 awsvpc slots each without
    /// trunking; with awsvpcTrunking, c5.large takes 10".
    pub fn describe(&self, setting: &TrunkingSetting, daemons: &Daemons) -> String {
        if !self.one_of.is_empty() {
            return format!(
                "{}: the configuration hides which of {} autoscaling groups it uses, so ecsnet counts from the one with the fewest slots to the one with the most, {} slots: {}",
                self.label,
                self.one_of.len(),
                self.slots().show(),
                self.one_of
                    .iter()
                    .map(|c| format!("{} slots: {}", c.slots().show(), c.describe(setting, daemons)))
                    .collect::<Vec<_>>()
                    .join(", or ")
            );
        }
        let count = match &self.instances {
            Ok(c) => c.n.to_string(),
            Err(_) => "?".to_string(),
        };
        let why = match &self.instances {
            Ok(c) => format!("{} {}", self.label, c.why),
            Err(_) => format!("{}, size unknown", self.label),
        };
        let Some(t) = self.smallest_type() else {
            let types = if self.types.is_empty() {
                "instance type unknown".to_string()
            } else {
                self.types
                    .iter()
                    .map(|t| t.instance_type.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return format!("{count} × ({types}) ({why}): slots unknown");
        };
        let type_name = if self.one_of_types && self.types.len() > 1 {
            self.types
                .iter()
                .map(|t| t.instance_type.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        } else {
            t.instance_type.clone()
        };
        let mut s = format!(
            "{count} × {type_name} ({why}) at {} awsvpc slot{} each",
            self.per_instance.show(),
            if self.per_instance.exact_value() == Some(1) {
                ""
            } else {
                "s"
            }
        );
        if self.one_of_types && self.types.len() > 1 {
            s.push_str(&format!(
                " (the configuration hides which of several launch templates the group uses; their types are {}: ecsnet counts from the type with the fewest slots to the one with the most)",
                self.types
                    .iter()
                    .map(|t| format!("{} {}", t.instance_type, t.slots_after_daemons.show()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        } else if self.types.len() > 1 {
            s.push_str(&format!(
                " (the smallest of {}; ecsnet counts every instance as the smallest type)",
                self.types
                    .iter()
                    .map(|t| t.instance_type.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some(e) = t.max_enis {
            let arithmetic = t.facts.as_ref().map_or_else(
                || format!("{e} ENIs − 1 primary"),
                |f| f.untrunked_arithmetic(),
            );
            s.push_str(&format!(" [{arithmetic}"));
            if daemons.awsvpc.hi != Some(0) {
                s.push_str(&format!(" − {} awsvpc daemon(s)", daemons.awsvpc.show()));
            }
            s.push(']');
        }
        match &self.no_trunk {
            Some(why) => s.push_str(&format!(" without trunking ({why})")),
            None => s.push_str(&trunking_words(t, setting, daemons)),
        }
        if let Some(lb) = &self.launched_before {
            s.push_str(&format!(
                "; but {} of them, running before the plan, {}keep{} {} slot{} each until replaced ({}){}",
                match (lb.certain, lb.instances.hi) {
                    (false, Some(hi)) => format!("up to {hi}"),
                    _ => lb.instances.show(),
                },
                if lb.certain { "" } else { "may " },
                if lb.certain && lb.instances.exact_value() == Some(1) { "s" } else { "" },
                self.per_instance_without_trunking.show(),
                if self.per_instance_without_trunking.exact_value() == Some(1) { "" } else { "s" },
                lb.why,
                self.launched_before_arithmetic()
                    .map_or(String::new(), |a| format!(": {a}"))
            ));
        }
        s
    }
}

/// Container instances that run before the plan turns awsvpcTrunking on and that it does
/// not replace: ECS gives the trunk only to instances launched after the setting is on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaunchedBefore {
    /// How many (a range when the plan does not tell).
    pub instances: Bound,
    /// "aws_ecs_account_setting_default.t turns awsvpcTrunking on in this plan (disabled
    /// before); aws_autoscaling_group.ecs is unchanged by this plan, desired_capacity 3".
    pub why: String,
    /// The plan tells for certain (else `instances` is a range and the source lists what
    /// is missing).
    pub certain: bool,
}

/// The instances of a plan source that keep the untrunked limit, given what the plan does
/// to the setting and to them; a missing input is added to `missing`.
fn launched_before(
    turned: &TurnedOn,
    address: &str,
    relaunch: &Relaunch,
    max: Option<u64>,
    missing: &mut Vec<Missing>,
) -> Option<LaunchedBefore> {
    let (setting_why, setting_known) = match turned {
        TurnedOn::No => return None,
        TurnedOn::Yes(w) => (w, true),
        TurnedOn::Maybe(w) => (w, false),
    };
    let (running, why, known) = match relaunch {
        Relaunch::All(_) | Relaunch::NotPlanned => return None,
        Relaunch::Kept { why, running } => match (running.get(), running.sensitive) {
            (Some(n), false) => (
                Some((*n).max(0) as u64),
                format!("{address} is {why} ({n} running)"),
                true,
            ),
            _ => {
                missing.push(Missing::new(
                    format!("how many instances of {address} run before this plan turns awsvpcTrunking on (desired_capacity unknown or sensitive)"),
                    "a known desired_capacity in the plan, or replace the instances in this plan (an instance_refresh block that a launch template change starts)",
                    if running.sensitive { MissingKind::Sensitive } else { MissingKind::AfterApply },
                ));
                (None, format!("{address} is {why}"), false)
            }
        },
        Relaunch::Unknown(what) => {
            missing.push(Missing::after_apply(
                format!("whether this plan replaces the instances of {address}: {what}"),
                "a plan that shows it: the group created or replaced, or updated with an instance_refresh block and a launch template change",
            ));
            (
                None,
                format!("whether {address} replaces them is not known"),
                false,
            )
        }
    };
    if !setting_known {
        missing.push(Missing::outside_plan(
            format!("whether awsvpcTrunking was enabled before this plan ({setting_why}); the instances of {address} running now keep the untrunked limit if it was not"),
            "`assume { awsvpc_trunking = true }` in .ecsnet.hcl when the account had it enabled already, or replace the instances in this plan",
        ));
    }
    let hi = match (running, max) {
        (Some(r), Some(m)) => Some(r.min(m)),
        (Some(r), None) => Some(r),
        (None, m) => m,
    };
    let certain = known && setting_known;
    let instances = match hi {
        Some(h) if certain => Bound::exact(h),
        Some(h) => Bound::range(0, h),
        None => Bound { lo: 0, hi: None },
    };
    Some(LaunchedBefore {
        instances,
        why: format!("{setting_why}; {why}"),
        certain,
    })
}

/// Where resource-based IPv4 DNS A records are turned on for a source's instances.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DnsARecord {
    /// The launch template, or the subnets, that turn it on.
    pub by: Vec<String>,
    /// True when the subnets (not the launch template) turn it on.
    pub from_subnets: bool,
    /// True when only some of the group's subnets turn it on.
    pub partial: bool,
}

impl DnsARecord {
    /// "launch template aws_launch_template.ecs" / "subnets aws_subnet.a, aws_subnet.b".
    pub fn describe(&self) -> String {
        if self.from_subnets {
            format!(
                "subnet{} {} (enable_resource_name_dns_a_record_on_launch = true{})",
                if self.by.len() == 1 { "" } else { "s" },
                self.by.join(", "),
                if self.partial {
                    ", for the instances launched there"
                } else {
                    ", and the launch template does not override it"
                }
            )
        } else {
            format!("launch template {}", self.by.join(", "))
        }
    }
}

fn trunking_words(t: &TypeSlots, setting: &TrunkingSetting, _daemons: &Daemons) -> String {
    let ty = &t.instance_type;
    let Some(f) = &t.facts else {
        return String::new();
    };
    match (setting, &f.trunking) {
        (TrunkingSetting::Enabled { .. }, Trunking::Supported { tasks_with, .. }) => format!(
            " with awsvpcTrunking ({ty} takes {tasks_with}; {} without)",
            f.awsvpc_slots_without_trunking()
        ),
        (TrunkingSetting::Enabled { .. }, Trunking::Unsupported { reason, .. }) => {
            format!("; awsvpcTrunking does not apply ({reason})")
        }
        (TrunkingSetting::Enabled { .. }, Trunking::Unknown { reason }) => {
            format!("; with awsvpcTrunking the limit is unknown ({reason})")
        }
        (TrunkingSetting::Disabled { .. }, Trunking::Supported { tasks_with, .. }) => {
            format!(" without trunking; with awsvpcTrunking, {ty} takes {tasks_with}")
        }
        (TrunkingSetting::Disabled { .. }, _) => " without trunking".to_string(),
        (TrunkingSetting::Unknown { .. }, Trunking::Supported { tasks_with, .. }) => format!(
            " ({} without trunking, {tasks_with} with awsvpcTrunking, which ecsnet cannot see)",
            f.awsvpc_slots_without_trunking()
        ),
        (TrunkingSetting::Unknown { .. }, Trunking::Unsupported { .. }) => {
            " (trunking not supported by the type)".to_string()
        }
        (TrunkingSetting::Unknown { .. }, Trunking::Unknown { .. }) => {
            " without trunking (with awsvpcTrunking: unknown)".to_string()
        }
    }
}

/// DAEMON services on a cluster: one task on every instance.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Daemons {
    /// Addresses of awsvpc daemons (certain) and of daemons whose mode is unknown.
    pub awsvpc_services: Vec<String>,
    pub maybe_awsvpc_services: Vec<String>,
    /// ENI slots they take on every instance.
    pub awsvpc: Bound,
}

/// Capacity of one cluster: where its container instances come from. The totals are its
/// pools' ([`Pool`]; pool 0 is the whole cluster).
#[derive(Debug, Clone, Serialize)]
pub struct ClusterCapacity {
    pub sources: Vec<SourceCapacity>,
    /// Plan capacity sources ignored because an `assume cluster` block describes the cluster.
    pub replaced_by_assumption: Vec<String>,
    pub daemons: Daemons,
    /// What keeps the cluster's numbers from being exact.
    pub missing: Vec<Missing>,
}

/// What a cluster key is known by, for `assume cluster` lookups.
pub fn names<'a>(key: &'a ClusterKey, cluster: Option<&'a Cluster>) -> ClusterNames<'a> {
    match (key, cluster) {
        (_, Some(c)) => c.names(),
        (ClusterKey::Outside { name }, None) => ClusterNames::literal(name),
        (ClusterKey::Plan { address, .. }, None) => ClusterNames {
            address: Some(address),
            ..ClusterNames::default()
        },
    }
}

/// The cluster a service link names, as a key (`Err` when unknown at plan time).
pub fn key_of(model: &Model, link: &Link, plan: PlanIndex) -> Option<ClusterKey> {
    if let Some(a) = &link.address {
        // Prefer the cluster of the same plan when several plans have the address.
        return Some(match model.cluster_in(a, plan) {
            Some(c) => ClusterKey::Plan {
                plan: c.plan,
                address: c.address.clone(),
            },
            None => ClusterKey::Outside { name: a.clone() },
        });
    }
    link.literal.as_ref().map(|lit| ClusterKey::Outside {
        name: crate::model::arn::cluster_name(lit).to_string(),
    })
}

/// Where a cluster's container instances are described: an `assume cluster` block (which
/// describes them in full and replaces what the plan shows), or the plan's sources.
pub(crate) enum Specs<'a> {
    Assumed {
        key: &'a str,
        assumption: &'a ClusterAssumption,
        replaced: Vec<String>,
    },
    Plan(Vec<&'a CapacitySource>),
}

impl Specs<'_> {
    pub fn len(&self) -> usize {
        match self {
            Specs::Assumed { .. } => 1,
            Specs::Plan(v) => v.len(),
        }
    }
}

/// The container-instance sources of a cluster (Fargate and the model's own assumption
/// marker left out), or the `assume cluster` block that replaces them.
pub(crate) fn specs<'a>(
    assume: &'a Assumptions,
    key: &'a ClusterKey,
    cluster: Option<&'a Cluster>,
) -> Specs<'a> {
    let plan_sources: Vec<&CapacitySource> = cluster
        .map(|c| {
            c.capacity
                .iter()
                .filter(|s| !matches!(s.kind, CapacityKind::Fargate | CapacityKind::Assumed))
                .collect()
        })
        .unwrap_or_default();
    match assume.cluster_for(names(key, cluster)) {
        Some((k, a)) => Specs::Assumed {
            key: k,
            assumption: a,
            replaced: plan_sources
                .iter()
                .map(|s| {
                    s.address
                        .clone()
                        .unwrap_or_else(|| "(outside the plan)".into())
                })
                .collect(),
        },
        None => Specs::Plan(plan_sources),
    }
}

/// How to describe a cluster in an `assume` example.
pub fn assume_example(key: &ClusterKey, cluster: Option<&Cluster>) -> String {
    let k = match (key, cluster.and_then(|c| c.name.get())) {
        (_, Some(n)) if cluster.is_some_and(|c| !c.name.sensitive) => n.clone(),
        (ClusterKey::Plan { address, .. }, _) => address.clone(),
        (ClusterKey::Outside { name }, _) => name.clone(),
    };
    crate::config::hint::cluster_inline(&k)
}

/// The operating system of the awsvpc tasks a capacity spec runs (and so of its instances).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecOs {
    Linux,
    Windows,
    /// Windows and Linux tasks may both use it: some instances may be Windows.
    Mixed,
}

/// The capacity of a cluster described by `specs`; `os[i]` is what spec `i` runs (Windows
/// instances get no ENI trunk).
#[allow(clippy::too_many_arguments)]
pub(crate) fn capacity(
    catalog: &Catalog,
    model: &Model,
    (setting, turned): (&TrunkingSetting, &TurnedOn),
    key: &ClusterKey,
    cluster: Option<&Cluster>,
    specs: &Specs<'_>,
    os: &[SpecOs],
    daemons: Daemons,
) -> ClusterCapacity {
    let example = assume_example(key, cluster);
    let win = |i: usize| os.get(i).copied().unwrap_or(SpecOs::Linux);
    let (sources, replaced) = match specs {
        Specs::Assumed {
            key,
            assumption,
            replaced,
        } => (
            vec![assumed_source(
                catalog,
                key,
                assumption,
                setting,
                &daemons,
                win(0),
            )],
            replaced.clone(),
        ),
        Specs::Plan(plan_sources) => (
            plan_sources
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let src = Source {
                        spec: s,
                        os: win(i),
                        turned,
                    };
                    plan_source(
                        catalog,
                        model,
                        cluster.map_or(0, |c| c.plan),
                        &src,
                        setting,
                        &daemons,
                        &example,
                    )
                })
                .collect(),
            Vec::new(),
        ),
    };

    let mut missing: Vec<Missing> = sources.iter().flat_map(|s| s.missing.clone()).collect();
    if sources.is_empty() {
        missing.push(Missing::outside_plan(
            format!(
                "the container instances of {} (no autoscaling group or instance in the plan registers to it)",
                key.label()
            ),
            example.clone(),
        ));
    }
    if daemons.awsvpc.hi.is_none() || !daemons.maybe_awsvpc_services.is_empty() {
        for d in &daemons.maybe_awsvpc_services {
            missing.push(Missing::outside_plan(
                format!("the network mode of DAEMON service {d}"),
                "a plan that includes its task definition with a known network_mode",
            ));
        }
    }
    ClusterCapacity {
        sources,
        replaced_by_assumption: replaced,
        daemons,
        missing,
    }
}

/// Instances and slots of some sources together (all unknown when there are none).
struct Totals {
    instances: Bound,
    slots: Bound,
    without: Bound,
    with: Bound,
}

impl Totals {
    fn of(sources: &[&SourceCapacity]) -> Totals {
        let sum = |f: &dyn Fn(&SourceCapacity) -> Bound| {
            if sources.is_empty() {
                Bound::unknown()
            } else {
                sources.iter().map(|s| f(s)).sum()
            }
        };
        Totals {
            instances: sum(&|s| s.instances_bound()),
            slots: sum(&|s| s.slots()),
            without: sum(&|s| s.slots_without_trunking()),
            with: sum(&|s| s.slots_with_trunking()),
        }
    }

    /// The whole cluster: the sources whose group is known, plus what the sources whose
    /// group is one of several candidates ([`SourceCapacity::one_of`]) can add. Such a
    /// source adds one group: none when a candidate is already counted (it may be that
    /// one), else at least the smallest candidate; at most the largest one not counted
    /// yet. Sources whose candidates overlap may name the same group, so together they
    /// add at least the largest of their smallest candidates, not the sum.
    fn of_cluster(sources: &[&SourceCapacity]) -> Totals {
        let (hidden, known): (Vec<&SourceCapacity>, Vec<&SourceCapacity>) =
            sources.iter().partition(|s| !s.one_of.is_empty());
        let mut t = Totals::of(&known);
        if hidden.is_empty() {
            return t;
        }
        let counted: std::collections::HashSet<&str> =
            known.iter().filter_map(|s| s.address.as_deref()).collect();
        fn fresh<'s>(
            s: &'s SourceCapacity,
            counted: &std::collections::HashSet<&str>,
        ) -> Vec<&'s SourceCapacity> {
            s.one_of
                .iter()
                .filter(|c| !c.address.as_deref().is_some_and(|a| counted.contains(a)))
                .collect()
        }
        // Disjoint when no group is a candidate of two hidden sources.
        let mut seen = std::collections::HashSet::new();
        let disjoint = hidden
            .iter()
            .flat_map(|s| s.one_of.iter().filter_map(|c| c.address.as_deref()))
            .all(|a| seen.insert(a));
        let add = |total: Bound, f: &dyn Fn(&SourceCapacity) -> Bound| -> Bound {
            let mut lo_sum = 0u64;
            let mut lo_max = 0u64;
            let mut hi = Some(0u64);
            for s in &hidden {
                let fresh = fresh(s, &counted);
                let all_fresh = fresh.len() == s.one_of.len();
                let b = crate::model::span_of(fresh.iter().map(|c| f(c).into()))
                    .map_or(Bound::ZERO, Bound::from);
                let lo = if all_fresh { b.lo } else { 0 };
                lo_sum = lo_sum.saturating_add(lo);
                lo_max = lo_max.max(lo);
                hi = match (hi, b.hi) {
                    (Some(a), Some(h)) => Some(a.saturating_add(h)),
                    _ => None,
                };
            }
            let lo = if disjoint { lo_sum } else { lo_max };
            total + Bound { lo, hi }
        };
        if known.is_empty() {
            t = Totals {
                instances: Bound::ZERO,
                slots: Bound::ZERO,
                without: Bound::ZERO,
                with: Bound::ZERO,
            };
        }
        Totals {
            instances: add(t.instances, &|s| s.instances_bound()),
            slots: add(t.slots, &|s| s.slots()),
            without: add(t.without, &|s| s.slots_without_trunking()),
            with: add(t.with, &|s| s.slots_with_trunking()),
        }
    }
}

/// Container instances tasks are placed on together: the whole cluster (pool 0, what a
/// task without a capacity provider strategy may use), or one capacity provider's group.
#[derive(Debug, Clone, Serialize)]
pub struct Pool {
    /// `aws_ecs_cluster.main`, or `capacity provider spot of aws_ecs_cluster.main`.
    pub label: String,
    /// The capacity provider's name (provider pools only).
    pub provider: Option<String>,
    /// Indices into the cluster's `capacity.sources`.
    pub sources: Vec<usize>,
    pub instances: Bound,
    pub slots: Bound,
    pub slots_without_trunking: Bound,
    pub slots_with_trunking: Bound,
    /// What keeps the numbers from being exact.
    pub missing: Vec<Missing>,
    /// Some link to the pool's capacity is a best guess.
    pub uncertain: bool,
}

impl Pool {
    /// The whole cluster.
    pub fn cluster(label: &str, cap: &ClusterCapacity) -> Pool {
        let refs: Vec<&SourceCapacity> = cap.sources.iter().collect();
        let t = Totals::of_cluster(&refs);
        Pool {
            label: label.to_string(),
            provider: None,
            sources: (0..cap.sources.len()).collect(),
            instances: t.instances,
            slots: t.slots,
            slots_without_trunking: t.without,
            slots_with_trunking: t.with,
            missing: cap.missing.clone(),
            uncertain: refs.iter().any(|s| !s.certain),
        }
    }

    /// One capacity provider: the cluster source of `group` (an autoscaling group address),
    /// or nothing when the plan does not show the provider's group.
    pub(crate) fn provider(
        cluster: &str,
        name: &str,
        group: Option<&super::placement::PoolKey>,
        cap: &ClusterCapacity,
        example: &str,
    ) -> Pool {
        let sources: Vec<usize> = match group {
            Some(k) => cap
                .sources
                .iter()
                .enumerate()
                .filter(|(_, s)| k.is_source(s))
                .map(|(i, _)| i)
                .collect(),
            None => Vec::new(),
        };
        let refs: Vec<&SourceCapacity> = sources.iter().map(|&i| &cap.sources[i]).collect();
        let t = Totals::of(&refs);
        let mut missing: Vec<Missing> = refs.iter().flat_map(|s| s.missing.clone()).collect();
        if refs.is_empty() {
            missing.push(Missing::outside_plan(
                format!(
                    "the autoscaling group of capacity provider {name} of {cluster} (not in the plan)"
                ),
                example,
            ));
        }
        Pool {
            label: format!("capacity provider {name} of {cluster}"),
            provider: Some(name.to_string()),
            uncertain: refs.iter().any(|s| !s.certain),
            sources,
            instances: t.instances,
            slots: t.slots,
            slots_without_trunking: t.without,
            slots_with_trunking: t.with,
            missing,
        }
    }

    /// The instances of the cluster a `memberOf` constraint on `ecs.instance-type` admits:
    /// the sources whose every instance type is in `types`. When a source's types are
    /// unknown, or only some of them are admitted (how many of its instances are of those
    /// types is not known), the pool stays the whole cluster.
    pub fn of_types(cluster: &str, types: &[String], cap: &ClusterCapacity) -> Pool {
        let whole = Pool::cluster(cluster, cap);
        let admitted: Option<Vec<bool>> = cap
            .sources
            .iter()
            .map(|s| {
                let n = s
                    .types
                    .iter()
                    .filter(|t| types.contains(&t.instance_type))
                    .count();
                match n {
                    _ if s.types.is_empty() => None,
                    0 => Some(false),
                    n if n == s.types.len() => Some(true),
                    _ => None,
                }
            })
            .collect();
        let Some(admitted) = admitted else {
            return whole;
        };
        let sources: Vec<usize> = (0..cap.sources.len()).filter(|&i| admitted[i]).collect();
        let refs: Vec<&SourceCapacity> = sources.iter().map(|&i| &cap.sources[i]).collect();
        let t = Totals::of(&refs);
        Pool {
            label: format!(
                "the instances of {cluster} with {}",
                super::placement::constraint_words(types)
            ),
            provider: None,
            uncertain: refs.iter().any(|s| !s.certain),
            missing: refs.iter().flat_map(|s| s.missing.clone()).collect(),
            sources,
            instances: t.instances,
            slots: t.slots,
            slots_without_trunking: t.without,
            slots_with_trunking: t.with,
        }
    }

    /// The arithmetic of the pool's capacity, one source after the other.
    pub fn describe(&self, cap: &ClusterCapacity, setting: &TrunkingSetting) -> String {
        if self.sources.is_empty() {
            return "no container instances found".to_string();
        }
        self.sources
            .iter()
            .map(|&i| cap.sources[i].describe(setting, &cap.daemons))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// "3 (aws_autoscaling_group.ecs max_size 3) + 1 (aws_instance.a)".
    pub fn describe_instances(&self, cap: &ClusterCapacity) -> String {
        if self.sources.is_empty() {
            return "no container instances found".to_string();
        }
        self.sources
            .iter()
            .map(|&i| {
                let s = &cap.sources[i];
                match &s.instances {
                    Ok(c) => format!("{} ({} {})", c.n, s.label, c.why),
                    Err(m) => format!("? ({})", m.what),
                }
            })
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// The addresses of the pool's groups and instances whose running instances keep the
    /// untrunked limit after this plan turns awsvpcTrunking on.
    pub fn launched_before(&self, cap: &ClusterCapacity) -> Vec<String> {
        self.sources
            .iter()
            .map(|&i| &cap.sources[i])
            .filter(|s| s.launched_before.is_some())
            .map(|s| s.label.clone())
            .collect()
    }

    /// Launch templates or subnets that would keep trunking from applying.
    pub fn dns_a_records(&self, cap: &ClusterCapacity) -> Vec<String> {
        self.sources
            .iter()
            .filter_map(|&i| cap.sources[i].dns_a_record_on.as_ref())
            .map(DnsARecord::describe)
            .collect()
    }
}

/// What blocks the trunk interface on one source's instances.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NoTrunk {
    /// Nothing: the setting and the type decide.
    Off,
    /// Resource-based DNS A records on every instance: a trunk may fail to attach.
    DnsARecord,
    /// On the instances of some of the group's subnets only.
    DnsARecordSome,
    /// Windows instances: trunking is for Linux only.
    Windows,
    /// Some instances may be Windows.
    WindowsSome,
}

fn type_slots(
    catalog: &Catalog,
    instance_type: &str,
    setting: &TrunkingSetting,
    no_trunk: NoTrunk,
    daemons: &Daemons,
) -> TypeSlots {
    let facts = catalog.lookup(instance_type);
    let f = facts.as_deref();
    let off = TrunkingSetting::Disabled { by: String::new() };
    let slots = f.map_or(Bound::unknown(), |f| match no_trunk {
        NoTrunk::Off => trunking::slots(f, setting, false),
        NoTrunk::DnsARecord => trunking::slots(f, setting, true),
        // Instances of the other subnets may still get their trunk.
        NoTrunk::DnsARecordSome => {
            let most = trunking::slots(f, setting, false);
            Bound { lo: 0, hi: most.hi }
        }
        NoTrunk::Windows => trunking::slots(f, &off, false),
        NoTrunk::WindowsSome => {
            trunking::slots(f, setting, false).hull(trunking::slots(f, &off, false))
        }
    });
    TypeSlots {
        instance_type: instance_type.to_string(),
        max_enis: f.map(|f| f.max_enis),
        without_trunking: f.map(|f| f.awsvpc_slots_without_trunking()),
        with_trunking: f.and_then(|f| f.trunking.tasks_with()),
        trunking_status: f.map_or("unknown", |f| f.trunking.status()),
        facts,
        slots,
        slots_after_daemons: slots.minus(daemons.awsvpc),
    }
}

fn unknown_type_missing(catalog: &Catalog, t: &str, example: &str) -> Missing {
    let hint = catalog.suggest(t, 3);
    // AWS's facts about the type, which no plan holds.
    Missing::outside_plan(
        format!(
            "ENI facts for instance type {t:?}, which is not in ecsnet's table{}",
            if hint.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", hint.join(", "))
            }
        ),
        format!(
            "{example}, or the type's facts in .ecsnet.hcl: {}",
            crate::instances::override_example(t)
        ),
    )
}

/// Count instance type `t` in a plan source; a type ecsnet has no ENI facts for is also
/// recorded as missing, with how to supply one.
#[allow(clippy::too_many_arguments)]
fn add_type(
    catalog: &Catalog,
    src: &mut SourceCapacity,
    t: &str,
    setting: &TrunkingSetting,
    no_trunk: NoTrunk,
    daemons: &Daemons,
    example: &str,
) {
    let ts = type_slots(catalog, t, setting, no_trunk, daemons);
    if ts.facts.is_none() {
        src.missing.push(unknown_type_missing(catalog, t, example));
    }
    src.types.push(ts);
}

/// Fill the per-instance figures from the types (smallest wins).
fn finish(src: &mut SourceCapacity, daemons: &Daemons) {
    let off = TrunkingSetting::Disabled { by: String::new() };
    let on = TrunkingSetting::Enabled { by: String::new() };
    if src.types.is_empty() {
        src.per_instance = Bound::unknown();
        src.per_instance_without_trunking = Bound::unknown();
        src.per_instance_with_trunking = Bound::unknown();
        return;
    }
    let smallest = (0..src.types.len()).min_by_key(|&i| {
        let b = src.types[i].slots_after_daemons;
        (b.hi.unwrap_or(u64::MAX), b.lo)
    });
    src.smallest = smallest;
    // A mixed group counts every instance as its smallest type; a group whose one type is
    // one of several candidates spans them all (worst to best).
    let combine = if src.one_of_types {
        Bound::hull
    } else {
        Bound::min
    };
    let fold = |f: &dyn Fn(&TypeSlots) -> Bound| {
        src.types
            .iter()
            .map(f)
            .reduce(combine)
            .unwrap_or(Bound::unknown())
    };
    src.per_instance = fold(&|t| t.slots_after_daemons);
    src.per_instance_without_trunking = fold(&|t| {
        t.facts.as_deref().map_or(Bound::unknown(), |f| {
            trunking::slots(f, &off, false).minus(daemons.awsvpc)
        })
    });
    // "With trunking" answers "what would enabling it give": the DNS A record setting that
    // blocks it is reported separately (NET071), so it is left out here; Windows instances
    // never get a trunk.
    let windows = src.no_trunk.is_some();
    src.per_instance_with_trunking = fold(&|t| {
        t.facts.as_deref().map_or(Bound::unknown(), |f| {
            let setting = if windows { &off } else { &on };
            trunking::slots(f, setting, false).minus(daemons.awsvpc)
        })
    });
}

/// Words for why Windows instances get no trunk.
const WINDOWS_NO_TRUNK: &str =
    "Windows instances: ENI trunking is available on Linux container instances only";

fn assumed_source(
    catalog: &Catalog,
    key: &str,
    a: &ClusterAssumption,
    setting: &TrunkingSetting,
    daemons: &Daemons,
    os: SpecOs,
) -> SourceCapacity {
    fixed_source(
        catalog,
        FixedInstances {
            label: format!("assume cluster \"{key}\""),
            why: format!("max_instances {}", a.max_instances),
            instance_types: std::slice::from_ref(&a.instance_type),
            max_instances: a.max_instances,
            os,
        },
        setting,
        daemons,
        "an instance type ecsnet knows (`ecsnet instance-type TYPE`) in the assume block",
    )
}

/// Container instances described outright rather than found in a plan: an `assume cluster`
/// block, or the arguments of the provider function `cluster_awsvpc_capacity`.
#[derive(Debug, Clone)]
pub struct FixedInstances<'a> {
    /// Names the instances in the arithmetic: `assume cluster "prod"`.
    pub label: String,
    /// How their number is known: `max_instances 4`.
    pub why: String,
    /// A mixed group's types: every instance counts as the one with the fewest slots.
    pub instance_types: &'a [String],
    pub max_instances: u64,
    /// What the instances run (Windows instances get no ENI trunk).
    pub os: SpecOs,
}

/// The capacity of [`FixedInstances`] under `setting`, after `daemons`, with its arithmetic
/// ([`SourceCapacity::describe`]). A type ecsnet does not know is listed in `missing`, with
/// `example` as the way to supply it.
pub fn fixed_source(
    catalog: &Catalog,
    fixed: FixedInstances<'_>,
    setting: &TrunkingSetting,
    daemons: &Daemons,
    example: &str,
) -> SourceCapacity {
    let mut src = SourceCapacity {
        label: fixed.label,
        address: None,
        kind: CapacityKind::Assumed,
        capacity_provider: None,
        provider_address: None,
        managed_scaling: None,
        instances: Ok(Counted {
            n: fixed.max_instances,
            why: fixed.why,
        }),
        types: Vec::new(),
        smallest: None,
        one_of_types: false,
        per_instance: Bound::unknown(),
        per_instance_without_trunking: Bound::unknown(),
        per_instance_with_trunking: Bound::unknown(),
        dns_a_record_on: None,
        no_trunk: (fixed.os == SpecOs::Windows).then(|| WINDOWS_NO_TRUNK.to_string()),
        launched_before: None,
        certain: true,
        missing: Vec::new(),
        one_of: Vec::new(),
    };
    let no_trunk = os_no_trunk(fixed.os).unwrap_or(NoTrunk::Off);
    for t in fixed.instance_types {
        add_type(catalog, &mut src, t, setting, no_trunk, daemons, example);
    }
    finish(&mut src, daemons);
    src
}

/// One plan capacity source, the OS of the tasks it runs, and whether the plan turns
/// awsvpcTrunking on.
struct Source<'a> {
    spec: &'a CapacitySource,
    os: SpecOs,
    turned: &'a TurnedOn,
}

fn os_no_trunk(os: SpecOs) -> Option<NoTrunk> {
    match os {
        SpecOs::Linux => None,
        SpecOs::Windows => Some(NoTrunk::Windows),
        SpecOs::Mixed => Some(NoTrunk::WindowsSome),
    }
}

/// Where DNS A records are turned on for a group's instances: its launch template (true or
/// false decides), else the subnets it launches into.
fn group_dns(
    model: &Model,
    plan: PlanIndex,
    g: &crate::model::AutoscalingGroup,
) -> Option<DnsARecord> {
    let lt = g
        .launch_template
        .as_ref()
        .and_then(|l| l.address.as_deref())
        .and_then(|a| model.launch_template_in(a, plan));
    match lt.map(|lt| (lt, &lt.resource_name_dns_a_record.val)) {
        Some((lt, Val::Known(true))) => {
            return Some(DnsARecord {
                by: vec![lt.address.clone()],
                from_subnets: false,
                partial: false,
            })
        }
        Some((_, Val::Known(false))) => return None,
        _ => {}
    }
    let subnets: Vec<&crate::model::Subnet> = g
        .subnets
        .get()
        .map(|links| {
            links
                .iter()
                .filter_map(|l| l.address.as_deref())
                .filter_map(|a| model.subnet_in(a, plan))
                .collect()
        })
        .unwrap_or_default();
    let on: Vec<String> = subnets
        .iter()
        .filter(|s| s.resource_name_dns_a_record_on_launch.get() == Some(&true))
        .map(|s| s.address.clone())
        .collect();
    let all = g.subnets.get().map_or(0, Vec::len);
    if on.is_empty() {
        return None;
    }
    Some(DnsARecord {
        partial: on.len() < all,
        by: on,
        from_subnets: true,
    })
}

#[allow(clippy::too_many_arguments)]
fn plan_source(
    catalog: &Catalog,
    model: &Model,
    // The cluster's plan: its capacity is looked up there first (see `Model::*_in`).
    plan: PlanIndex,
    source: &Source<'_>,
    setting: &TrunkingSetting,
    daemons: &Daemons,
    example: &str,
) -> SourceCapacity {
    let s = source.spec;
    let managed_scaling = s.capacity_provider.as_deref().and_then(|cp| {
        model
            .capacity_provider_in(cp, plan)
            .or_else(|| {
                // Named by its `name` rather than its address.
                model
                    .capacity_providers
                    .iter()
                    .find(|p| p.plan == plan && p.name.get().is_some_and(|n| n == cp))
            })
            .and_then(|p| p.managed_scaling.get().copied())
    });
    let mut src = SourceCapacity {
        label: s
            .address
            .clone()
            .or_else(|| {
                s.capacity_provider
                    .clone()
                    .map(|c| format!("capacity provider {c}"))
            })
            .unwrap_or_else(|| "(unknown capacity)".into()),
        address: s.address.clone(),
        kind: s.kind,
        capacity_provider: s.capacity_provider.clone(),
        provider_address: s.provider_address.clone(),
        managed_scaling,
        // Filled in below; left empty only for a source outside the plan.
        instances: Err(Missing::outside_plan(String::new(), example)),
        types: Vec::new(),
        smallest: None,
        one_of_types: false,
        per_instance: Bound::unknown(),
        per_instance_without_trunking: Bound::unknown(),
        per_instance_with_trunking: Bound::unknown(),
        dns_a_record_on: None,
        no_trunk: (source.os == SpecOs::Windows).then(|| WINDOWS_NO_TRUNK.to_string()),
        launched_before: None,
        certain: s.certain,
        missing: Vec::new(),
        one_of: Vec::new(),
    };
    if !s.candidates.is_empty() {
        let each =
            |one: &Source<'_>| plan_source(catalog, model, plan, one, setting, daemons, example);
        one_of_groups(source, each, daemons, example, &mut src);
        return src;
    }
    let miss = |what: String, kind: MissingKind| Missing::new(what, example, kind);
    let no_trunk = |dns: &Option<DnsARecord>| match (os_no_trunk(source.os), dns) {
        (Some(nt), _) => nt,
        (None, Some(d)) if d.partial => NoTrunk::DnsARecordSome,
        (None, Some(_)) => NoTrunk::DnsARecord,
        (None, None) => NoTrunk::Off,
    };
    match (s.kind, s.address.as_deref()) {
        (CapacityKind::AutoscalingGroup, Some(addr)) => {
            match model.autoscaling_group_in(addr, plan) {
                Some(g) => {
                    src.instances = match &g.max_size.val {
                        _ if g.max_size.sensitive => {
                            Err(super::demand::sensitive_missing("max_size", addr))
                        }
                        Val::Known(n) => Ok(Counted {
                            n: (*n).max(0) as u64,
                            why: format!("max_size {}", g.max_size.show()),
                        }),
                        _ => Err(miss(
                            format!("max_size of {addr} (known after apply)"),
                            MissingKind::AfterApply,
                        )),
                    };
                    let max = src.instances.as_ref().ok().map(|c| c.n);
                    src.launched_before =
                        launched_before(source.turned, addr, &g.relaunch, max, &mut src.missing);
                    src.dns_a_record_on = group_dns(model, plan, g);
                    let nt = no_trunk(&src.dns_a_record_on);
                    if g.uses_instance_requirements {
                        // AWS picks the types when it launches the instances.
                        src.missing.push(miss(
                            format!(
                                "the instance types of {addr} (chosen by instance_requirements)"
                            ),
                            MissingKind::AfterApply,
                        ));
                    } else if g.instance_types.sensitive {
                        src.missing
                            .push(super::demand::sensitive_missing("instance types", addr));
                    } else {
                        match (g.instance_types.get(), &g.instance_type_candidates) {
                            (Some(ts), _) if !ts.is_empty() => {
                                for t in ts {
                                    add_type(catalog, &mut src, t, setting, nt, daemons, example);
                                }
                            }
                            (_, Some(ts)) if !ts.is_empty() => {
                                src.one_of_types = true;
                                for t in ts {
                                    add_type(catalog, &mut src, t, setting, nt, daemons, example);
                                }
                            }
                            // Unknown in the plan: computed at apply; otherwise the
                            // group's launch template was not followed.
                            _ => src.missing.push(miss(
                                format!("the instance types of {addr} (known after apply or not in the plan)"),
                                if g.instance_types.is_unknown() {
                                    MissingKind::AfterApply
                                } else {
                                    MissingKind::Hidden
                                },
                            )),
                        }
                    }
                }
                None => src.missing.push(miss(
                    format!("{addr}, which is not in the plan"),
                    MissingKind::OutsidePlan,
                )),
            }
        }
        (CapacityKind::Instance, Some(addr)) => match model.instance_in(addr, plan) {
            Some(i) => {
                src.instances = Ok(Counted {
                    n: 1,
                    why: "instance".into(),
                });
                src.launched_before =
                    launched_before(source.turned, addr, &i.relaunch, Some(1), &mut src.missing);
                src.dns_a_record_on = i
                    .subnet
                    .as_ref()
                    .and_then(|l| l.address.as_deref())
                    .and_then(|a| model.subnet_in(a, plan))
                    .filter(|sn| sn.resource_name_dns_a_record_on_launch.get() == Some(&true))
                    .map(|sn| DnsARecord {
                        by: vec![sn.address.clone()],
                        from_subnets: true,
                        partial: false,
                    });
                let nt = no_trunk(&src.dns_a_record_on);
                match i.instance_type.get().filter(|_| !i.instance_type.sensitive) {
                    Some(t) => add_type(catalog, &mut src, t, setting, nt, daemons, example),
                    None => src.missing.push(miss(
                        format!("the instance_type of {addr} (known after apply)"),
                        if i.instance_type.sensitive {
                            MissingKind::Sensitive
                        } else {
                            MissingKind::AfterApply
                        },
                    )),
                }
            }
            None => src.missing.push(miss(
                format!("{addr}, which is not in the plan"),
                MissingKind::OutsidePlan,
            )),
        },
        _ => src.missing.push(miss(
            format!("the autoscaling group of {} (outside the plan)", src.label),
            MissingKind::OutsidePlan,
        )),
    }
    if let Err(m) = &mut src.instances {
        if m.what.is_empty() {
            m.what = format!("the size of {}", src.label);
        }
        src.missing.push(m.clone());
    }
    finish(&mut src, daemons);
    src
}

/// Fill `src`, a source whose autoscaling group the configuration hides among several
/// candidates, with the capacity of each candidate (as if the provider named it), and say
/// what differs between them when it does.
fn one_of_groups(
    source: &Source<'_>,
    each: impl Fn(&Source<'_>) -> SourceCapacity,
    daemons: &Daemons,
    example: &str,
    src: &mut SourceCapacity,
) {
    let s = source.spec;
    src.one_of = s
        .candidates
        .iter()
        .map(|a| {
            let spec = CapacitySource {
                address: Some(a.clone()),
                candidates: Vec::new(),
                ..s.clone()
            };
            let one = Source {
                spec: &spec,
                os: source.os,
                turned: source.turned,
            };
            each(&one)
        })
        .collect();
    let provider = s.capacity_provider.as_deref().unwrap_or("(unnamed)");
    src.label = format!(
        "capacity provider {provider}'s group (one of {})",
        s.candidates.join(", ")
    );
    // The span holds whichever candidate is meant: no guess in what the rules decide.
    src.certain = true;
    src.instances = match src.instances_bound().exact_value() {
        Some(n) => Ok(Counted {
            n,
            why: "max_size of every candidate".into(),
        }),
        None => Err(Missing::hidden(String::new(), example)),
    };
    // Candidates that every rule input finds alike: which one is meant does not matter.
    let alike = src.one_of.windows(2).all(|w| {
        w[0].slots() == w[1].slots()
            && w[0].instances_bound() == w[1].instances_bound()
            && w[0].slots_with_trunking() == w[1].slots_with_trunking()
    });
    let mut types: Vec<TypeSlots> = Vec::new();
    for c in &src.one_of {
        for m in &c.missing {
            if !src.missing.contains(m) {
                src.missing.push(m.clone());
            }
        }
        for t in &c.types {
            if !types.iter().any(|x| x.instance_type == t.instance_type) {
                types.push(t.clone());
            }
        }
        if src.dns_a_record_on.is_none() {
            src.dns_a_record_on = c.dns_a_record_on.clone();
        }
    }
    src.types = types;
    src.one_of_types = true;
    if !alike {
        src.missing.push(Missing::hidden(
            format!(
                "which autoscaling group capacity provider {provider} uses: the configuration hides its auto_scaling_group_arn (a local, a for_each value), and the candidates differ: {}",
                src.one_of
                    .iter()
                    .map(|c| format!(
                        "{} has {} instances and {} awsvpc slots at max size",
                        c.label,
                        c.instances_bound().show(),
                        c.slots().show()
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            "the Terraform sources beside the plan (run ecsnet where `terraform plan` ran, or --source DIR), or a reference to the group ecsnet can follow",
        ));
    }
    if let Err(m) = &mut src.instances {
        m.what = format!("the size of {}", src.label);
    }
    finish(src, daemons);
    // `finish` folds the types as one group; the candidates' own figures are what count.
    src.per_instance = span(&src.one_of, |c| c.per_instance);
    src.per_instance_without_trunking = span(&src.one_of, |c| c.per_instance_without_trunking);
    src.per_instance_with_trunking = span(&src.one_of, |c| c.per_instance_with_trunking);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;

    fn on() -> TrunkingSetting {
        TrunkingSetting::Enabled { by: "t".into() }
    }
    fn off() -> TrunkingSetting {
        TrunkingSetting::Disabled { by: "t".into() }
    }
    impl ClusterCapacity {
        /// The whole cluster as a pool.
        fn whole(&self) -> Pool {
            Pool::cluster("aws_ecs_cluster.main", self)
        }
    }

    fn key() -> ClusterKey {
        ClusterKey::Plan {
            plan: 0,
            address: "aws_ecs_cluster.main".into(),
        }
    }

    /// The capacity of `c` (key [`key`]) with every spec running Linux tasks.
    fn capacity(
        m: &Model,
        a: &Assumptions,
        setting: &TrunkingSetting,
        key: &ClusterKey,
        c: Option<&Cluster>,
        daemons: Daemons,
    ) -> ClusterCapacity {
        let specs = specs(a, key, c);
        let os = vec![SpecOs::Linux; specs.len()];
        super::capacity(
            &a.instances,
            m,
            (setting, &TurnedOn::No),
            key,
            c,
            &specs,
            &os,
            daemons,
        )
    }

    #[test]
    fn candidate_templates_span_their_types_where_a_mixed_group_takes_the_smallest() {
        let a = Assumptions::default();
        let c = t::cluster("aws_ecs_cluster.main", &["aws_autoscaling_group.ecs"]);
        let types = ["c5.large".to_string(), "m5.2xlarge".to_string()];
        // Mixed instances: every instance counts as the smallest type.
        let mut m = Model::default();
        m.autoscaling_groups.push(t::autoscaling_group(
            "aws_autoscaling_group.ecs",
            &["c5.large", "m5.2xlarge"],
            3,
        ));
        let cap = capacity(&m, &a, &off(), &key(), Some(&c), Daemons::default());
        assert_eq!(cap.whole().slots, Bound::exact(6));
        // One hidden template among two: 2 to 3 slots per instance, whichever it is.
        let g = &mut m.autoscaling_groups[0];
        g.instance_types = crate::model::Field::unknown();
        g.instance_type_candidates = Some(types.to_vec());
        let cap = capacity(&m, &a, &off(), &key(), Some(&c), Daemons::default());
        assert_eq!(cap.whole().slots, Bound::range(6, 9));
        let d = cap.whole().describe(&cap, &off());
        assert!(d.contains("3 × c5.large or m5.2xlarge"), "{d}");
        assert!(d.contains("at 2 to 3 awsvpc slots each"), "{d}");
        // Without candidates the types are missing.
        m.autoscaling_groups[0].instance_type_candidates = None;
        let cap = capacity(&m, &a, &off(), &key(), Some(&c), Daemons::default());
        assert_eq!(cap.whole().slots, Bound::unknown());
    }

    #[test]
    fn asg_at_max_size() {
        let mut m = Model::default();
        m.autoscaling_groups.push(t::autoscaling_group(
            "aws_autoscaling_group.ecs",
            &["c5.large"],
            3,
        ));
        let c = t::cluster("aws_ecs_cluster.main", &["aws_autoscaling_group.ecs"]);
        let a = Assumptions::default();
        let cap = capacity(&m, &a, &off(), &key(), Some(&c), Daemons::default());
        assert_eq!(cap.whole().instances, Bound::exact(3));
        assert_eq!(cap.whole().slots, Bound::exact(6));
        assert_eq!(cap.whole().slots_with_trunking, Bound::exact(30));
        let d = cap.whole().describe(&cap, &off());
        assert!(
            d.contains(
                "3 × c5.large (aws_autoscaling_group.ecs max_size 3) at 2 awsvpc slots each"
            ),
            "{d}"
        );
        assert!(d.contains("with awsvpcTrunking, c5.large takes 10"), "{d}");
        let cap = capacity(&m, &a, &on(), &key(), Some(&c), Daemons::default());
        assert_eq!(cap.whole().slots, Bound::exact(30));
    }

    #[test]
    fn mixed_group_counts_the_smallest_and_daemons() {
        let mut m = Model::default();
        m.autoscaling_groups.push(t::autoscaling_group(
            "aws_autoscaling_group.ecs",
            &["m5.2xlarge", "c5.large"],
            4,
        ));
        let c = t::cluster("aws_ecs_cluster.main", &["aws_autoscaling_group.ecs"]);
        let daemons = Daemons {
            awsvpc_services: vec!["aws_ecs_service.agent".into()],
            maybe_awsvpc_services: vec![],
            awsvpc: Bound::exact(1),
        };
        let cap = capacity(
            &m,
            &Assumptions::default(),
            &off(),
            &key(),
            Some(&c),
            daemons,
        );
        // c5.large: 3 ENIs − 1 primary − 1 daemon = 1 per instance.
        assert_eq!(cap.whole().slots, Bound::exact(4));
        let d = cap.whole().describe(&cap, &off());
        assert!(d.contains("smallest of m5.2xlarge, c5.large"), "{d}");
    }

    #[test]
    fn unknown_inputs_are_missing() {
        let mut m = Model::default();
        let mut g = t::autoscaling_group("aws_autoscaling_group.ecs", &["c5.large"], 3);
        g.max_size = crate::model::Field::unknown();
        m.autoscaling_groups.push(g);
        let c = t::cluster("aws_ecs_cluster.main", &["aws_autoscaling_group.ecs"]);
        let cap = capacity(
            &m,
            &Assumptions::default(),
            &off(),
            &key(),
            Some(&c),
            Daemons::default(),
        );
        assert_eq!(cap.whole().slots.hi, None);
        assert!(cap.missing.iter().any(|x| x.what.contains("max_size")));
        assert!(cap.missing.iter().all(|x| x.supply.contains("assume")));

        let c = t::cluster("aws_ecs_cluster.main", &[]);
        let cap = capacity(
            &m,
            &Assumptions::default(),
            &off(),
            &key(),
            Some(&c),
            Daemons::default(),
        );
        assert_eq!(cap.whole().slots, Bound::unknown());
        assert_eq!(cap.missing.len(), 1);
    }

    #[test]
    fn assumption_replaces_plan_capacity() {
        let mut m = Model::default();
        m.autoscaling_groups.push(t::autoscaling_group(
            "aws_autoscaling_group.ecs",
            &["c5.large"],
            3,
        ));
        let c = t::cluster("aws_ecs_cluster.main", &["aws_autoscaling_group.ecs"]);
        let mut a = Assumptions::default();
        a.clusters.insert(
            "main".into(),
            ClusterAssumption {
                instance_type: "m5.xlarge".into(),
                max_instances: 5,
                availability_zones: vec![],
            },
        );
        let cap = capacity(&m, &a, &off(), &key(), Some(&c), Daemons::default());
        assert_eq!(cap.whole().slots, Bound::exact(15));
        assert_eq!(
            cap.replaced_by_assumption,
            vec!["aws_autoscaling_group.ecs"]
        );
    }

    #[test]
    fn instances_running_before_trunking_keep_the_untrunked_limit() {
        let mut m = Model::default();
        let mut g = t::autoscaling_group("aws_autoscaling_group.ecs", &["c5.large"], 5);
        g.relaunch = Relaunch::Kept {
            why: "unchanged by this plan".into(),
            running: crate::model::Field::known(2),
        };
        m.autoscaling_groups.push(g);
        let c = t::cluster("aws_ecs_cluster.main", &["aws_autoscaling_group.ecs"]);
        let a = Assumptions::default();
        let k = key();
        let sp = specs(&a, &k, Some(&c));
        let cap = |m: &Model, turned: &TurnedOn| {
            super::capacity(
                &a.instances,
                m,
                (&on(), turned),
                &k,
                Some(&c),
                &sp,
                &[SpecOs::Linux],
                Daemons::default(),
            )
        };
        let yes = TurnedOn::Yes("aws_ecs_account_setting_default.t turns it on".into());
        // 2 running at 2 slots, 3 launched later at 10.
        let with_old = cap(&m, &yes);
        assert_eq!(with_old.whole().slots, Bound::exact(34));
        assert_eq!(with_old.whole().slots_with_trunking, Bound::exact(50));
        let d = with_old.whole().describe(&with_old, &on());
        assert!(d.contains("2 × 2 + 3 × 10 = 34"), "{d}");
        assert!(d.contains("keep 2 slots each until replaced"), "{d}");
        // Not turned on by this plan: every instance has its trunk.
        assert_eq!(cap(&m, &TurnedOn::No).whole().slots, Bound::exact(50));
        // The setting may have been on already: 2 × 2 + 3 × 10 to 5 × 10, and why.
        let maybe = cap(&m, &TurnedOn::Maybe("created".into()));
        assert_eq!(maybe.whole().slots, Bound::range(34, 50));
        assert!(maybe
            .missing
            .iter()
            .any(|x| x.what.contains("enabled before")));
        // How many run is unknown: anywhere from all 5 old to none.
        m.autoscaling_groups[0].relaunch = Relaunch::Kept {
            why: "unchanged by this plan".into(),
            running: crate::model::Field::unknown(),
        };
        let unknown = cap(&m, &yes);
        assert_eq!(unknown.whole().slots, Bound::range(10, 50));
        assert!(unknown
            .missing
            .iter()
            .any(|x| x.what.contains("desired_capacity")));
        // Replaced by the plan: launched after the setting, trunked.
        m.autoscaling_groups[0].relaunch = Relaunch::All("replaced by this plan".into());
        assert_eq!(cap(&m, &yes).whole().slots, Bound::exact(50));
    }

    #[test]
    fn windows_tasks_get_no_trunk() {
        let mut m = Model::default();
        m.autoscaling_groups.push(t::autoscaling_group(
            "aws_autoscaling_group.ecs",
            &["c5.large"],
            3,
        ));
        let c = t::cluster("aws_ecs_cluster.main", &["aws_autoscaling_group.ecs"]);
        let a = Assumptions::default();
        let k = key();
        let sp = specs(&a, &k, Some(&c));
        let cap = super::capacity(
            &a.instances,
            &m,
            (&on(), &TurnedOn::No),
            &key(),
            Some(&c),
            &sp,
            &[SpecOs::Windows],
            Daemons::default(),
        );
        assert_eq!(cap.whole().slots, Bound::exact(6));
        assert_eq!(cap.whole().slots_with_trunking, Bound::exact(6));
        assert!(cap
            .whole()
            .describe(&cap, &on())
            .contains("Linux container instances only"));
        let cap = super::capacity(
            &a.instances,
            &m,
            (&on(), &TurnedOn::No),
            &key(),
            Some(&c),
            &sp,
            &[SpecOs::Mixed],
            Daemons::default(),
        );
        assert_eq!(cap.whole().slots, Bound::range(6, 30));
    }

    #[test]
    fn subnets_with_dns_a_records_block_the_trunk() {
        let mut m = Model::default();
        let mut g = t::autoscaling_group("aws_autoscaling_group.ecs", &["c5.large"], 2);
        let links = ["aws_subnet.a", "aws_subnet.b"]
            .iter()
            .map(|a| Link::to_address(*a, crate::model::Resolution::ConfigReference, true))
            .collect();
        g.subnets = crate::model::Field::known(links);
        m.autoscaling_groups.push(g);
        for (a, on) in [("aws_subnet.a", true), ("aws_subnet.b", true)] {
            let mut s = t::subnet(a, "10.0.0.0/24", "eu-west-1a");
            s.resource_name_dns_a_record_on_launch = crate::model::Field::known(on);
            m.subnets.push(s);
        }
        let c = t::cluster("aws_ecs_cluster.main", &["aws_autoscaling_group.ecs"]);
        let a = Assumptions::default();
        let cap = capacity(&m, &a, &on(), &key(), Some(&c), Daemons::default());
        // As with the launch template: the trunk may not attach (0 to 2 per instance).
        assert_eq!(cap.whole().slots, Bound::range(0, 4));
        let dns = cap.sources[0].dns_a_record_on.as_ref().unwrap();
        assert!(dns.from_subnets && !dns.partial, "{dns:?}");
        // One subnet only: instances of the other keep their trunk.
        m.subnets[1].resource_name_dns_a_record_on_launch = crate::model::Field::known(false);
        let cap = capacity(&m, &a, &on(), &key(), Some(&c), Daemons::default());
        assert_eq!(cap.whole().slots, Bound::range(0, 20));
    }

    #[test]
    fn a_hidden_group_spans_its_candidates_and_the_cluster_counts_it_once() {
        let a = Assumptions::default();
        let d = Daemons::default();
        let group = |addr: &str, ty: &str, n: u64| {
            let types = [ty.to_string()];
            let fixed = FixedInstances {
                label: addr.into(),
                why: format!("max_size {n}"),
                instance_types: &types,
                max_instances: n,
                os: SpecOs::Linux,
            };
            let mut s = fixed_source(&a.instances, fixed, &off(), &d, "x");
            s.address = Some(addr.into());
            s.kind = CapacityKind::AutoscalingGroup;
            s
        };
        // 2 × c5.large: 4 slots; 4 × m5.2xlarge: 12 slots.
        let small = group("aws_autoscaling_group.small", "c5.large", 2);
        let large = group("aws_autoscaling_group.large", "m5.2xlarge", 4);
        assert_eq!(
            (small.slots(), large.slots()),
            (Bound::exact(4), Bound::exact(12))
        );
        let mut hidden = group("unused", "c5.large", 0);
        hidden.address = None;
        hidden.one_of = vec![small.clone(), large.clone()];
        assert_eq!(hidden.slots(), Bound::range(4, 12));
        assert_eq!(hidden.instances_bound(), Bound::range(2, 4));
        assert_eq!(hidden.slots_with_trunking(), Bound::range(20, 160));
        let cap = |sources: Vec<SourceCapacity>| ClusterCapacity {
            sources,
            replaced_by_assumption: Vec::new(),
            daemons: Daemons::default(),
            missing: Vec::new(),
        };
        // Alone in the cluster: one of the two.
        assert_eq!(cap(vec![hidden.clone()]).whole().slots, Bound::range(4, 12));
        // A candidate already registers to the cluster (user data): the provider's group may
        // be that one (nothing more) or the other.
        assert_eq!(
            cap(vec![hidden.clone(), small.clone()]).whole().slots,
            Bound::range(4, 16)
        );
        // Two hidden providers over the same candidates may name the same group.
        assert_eq!(
            cap(vec![hidden.clone(), hidden.clone()]).whole().slots,
            Bound::range(4, 24)
        );
        // Over disjoint candidates each adds one group.
        let mut other = hidden.clone();
        other.one_of = vec![group("aws_autoscaling_group.x", "c5.large", 1)];
        assert_eq!(
            cap(vec![hidden, other]).whole().instances,
            Bound::range(3, 5)
        );
    }
}
