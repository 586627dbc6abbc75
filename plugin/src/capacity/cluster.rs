//! A cluster's container-instance capacity at its autoscaling groups' max size: how many
//! instances, and how many awsvpc task slots (ENIs) they offer.

use serde::Serialize;

use super::bound::Bound;
use super::demand::Counted;
use super::trunking::{self, TrunkingSetting};
use super::Missing;
use crate::config::{Assumptions, ClusterAssumption};
use std::sync::Arc;

use crate::instances::{Catalog, InstanceFacts, Trunking};
use crate::model::{CapacityKind, CapacitySource, Cluster, Model, PlanIndex, Val};

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

/// The cluster name in an ECS cluster ARN (`arn:aws:ecs:r:a:cluster/name`), or the input.
pub fn name_from_arn(s: &str) -> &str {
    if s.starts_with("arn:") {
        s.rsplit_once('/').map_or(s, |(_, n)| n)
    } else {
        s
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
    /// The capacity provider has managed scaling (cluster auto scaling) on.
    pub managed_scaling: Option<bool>,
    /// Container instances at the most (the group's `max_size`).
    pub instances: Result<Counted, Missing>,
    pub types: Vec<TypeSlots>,
    /// Index in `types` of the type with the fewest slots (what ecsnet counts for every
    /// instance of a mixed group).
    pub smallest: Option<usize>,
    /// Slots per instance, after daemons.
    pub per_instance: Bound,
    /// Same with trunking forced off / on, for "with and without" messages.
    pub per_instance_without_trunking: Bound,
    pub per_instance_with_trunking: Bound,
    /// The launch template enables resource-based IPv4 DNS A records (blocks trunking).
    pub dns_a_record_on: Option<String>,
    /// False when the link from the cluster is a best guess.
    pub certain: bool,
    pub missing: Vec<Missing>,
}

impl SourceCapacity {
    pub fn instances_bound(&self) -> Bound {
        self.instances
            .as_ref()
            .map_or(Bound::unknown(), |c| Bound::exact(c.n))
    }
    pub fn slots(&self) -> Bound {
        self.instances_bound().times(self.per_instance)
    }
    pub fn smallest_type(&self) -> Option<&TypeSlots> {
        self.smallest.map(|i| &self.types[i])
    }

    /// "3 × c5.large (aws_autoscaling_group.ecs max_size 3) at 2 awsvpc slots each without
    /// trunking; with awsvpcTrunking, c5.large takes 10".
    pub fn describe(&self, setting: &TrunkingSetting, daemons: &Daemons) -> String {
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
        let mut s = format!(
            "{count} × {} ({why}) at {} awsvpc slot{} each",
            t.instance_type,
            self.per_instance.show(),
            if self.per_instance.exact_value() == Some(1) {
                ""
            } else {
                "s"
            }
        );
        if self.types.len() > 1 {
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
        s.push_str(&trunking_words(t, setting, daemons));
        s
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

/// Capacity of one cluster.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterCapacity {
    pub sources: Vec<SourceCapacity>,
    /// Plan capacity sources ignored because an `assume cluster` block describes the cluster.
    pub replaced_by_assumption: Vec<String>,
    pub daemons: Daemons,
    /// Container instances at max size.
    pub instances: Bound,
    /// awsvpc task slots at max size, after daemons, under the current trunking setting.
    pub slots: Bound,
    pub slots_without_trunking: Bound,
    pub slots_with_trunking: Bound,
    /// What keeps the numbers from being exact.
    pub missing: Vec<Missing>,
    /// Some link from the cluster to its capacity is a best guess.
    pub uncertain: bool,
}

impl ClusterCapacity {
    /// Where the instances come from: "3 (aws_autoscaling_group.ecs max_size 3) + 1 (aws_instance.a)".
    pub fn describe_instances(&self) -> String {
        if self.sources.is_empty() {
            return "no container instances found".to_string();
        }
        self.sources
            .iter()
            .map(|s| match &s.instances {
                Ok(c) => format!("{} ({} {})", c.n, s.label, c.why),
                Err(m) => format!("? ({})", m.what),
            })
            .collect::<Vec<_>>()
            .join(" + ")
    }
    /// The arithmetic, one line per source joined with "; ".
    pub fn describe(&self, setting: &TrunkingSetting) -> String {
        if self.sources.is_empty() {
            return "no container instances found".to_string();
        }
        self.sources
            .iter()
            .map(|s| s.describe(setting, &self.daemons))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The `assume cluster` block for a cluster, by address, name or ARN.
pub fn assumption<'a>(
    assume: &'a Assumptions,
    address: Option<&str>,
    name: Option<&str>,
) -> Option<(&'a str, &'a ClusterAssumption)> {
    assume.clusters.iter().find_map(|(k, v)| {
        let hit = address == Some(k.as_str()) || name.is_some_and(|n| name_from_arn(k) == n);
        hit.then_some((k.as_str(), v))
    })
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

pub(crate) fn capacity(
    model: &Model,
    assume: &Assumptions,
    setting: &TrunkingSetting,
    key: &ClusterKey,
    cluster: Option<&Cluster>,
    daemons: Daemons,
) -> ClusterCapacity {
    let name = match (key, cluster) {
        (_, Some(c)) => c.name.get().map(String::as_str),
        (ClusterKey::Outside { name }, None) => Some(name.as_str()),
        _ => None,
    };
    let address = match key {
        ClusterKey::Plan { address, .. } => Some(address.as_str()),
        ClusterKey::Outside { .. } => None,
    };
    let example = assume_example(key, cluster);
    let mut sources = Vec::new();
    let mut replaced = Vec::new();
    let plan_sources: Vec<&CapacitySource> = cluster
        .map(|c| {
            c.capacity
                .iter()
                .filter(|s| !matches!(s.kind, CapacityKind::Fargate | CapacityKind::Assumed))
                .collect()
        })
        .unwrap_or_default();

    if let Some((k, a)) = assumption(assume, address, name) {
        // The assume block describes the cluster's container instances in full.
        replaced = plan_sources
            .iter()
            .map(|s| {
                s.address
                    .clone()
                    .unwrap_or_else(|| "(outside the plan)".into())
            })
            .collect();
        sources.push(assumed_source(&assume.instances, k, a, setting, &daemons));
    } else {
        for s in plan_sources {
            sources.push(plan_source(
                &assume.instances,
                model,
                cluster.map_or(0, |c| c.plan),
                s,
                setting,
                &daemons,
                &example,
            ));
        }
    }

    let mut missing: Vec<Missing> = sources.iter().flat_map(|s| s.missing.clone()).collect();
    if sources.is_empty() {
        missing.push(Missing {
            what: format!(
                "the container instances of {} (no autoscaling group or instance in the plan registers to it)",
                key.label()
            ),
            supply: example.clone(),
        });
    }
    if daemons.awsvpc.hi.is_none() || !daemons.maybe_awsvpc_services.is_empty() {
        for d in &daemons.maybe_awsvpc_services {
            missing.push(Missing {
                what: format!("the network mode of DAEMON service {d}"),
                supply: "a plan that includes its task definition with a known network_mode".into(),
            });
        }
    }
    let unknown_if_empty = |b: Bound| {
        if sources.is_empty() {
            Bound::unknown()
        } else {
            b
        }
    };
    let instances = unknown_if_empty(sources.iter().map(|s| s.instances_bound()).sum());
    let slots = unknown_if_empty(sources.iter().map(|s| s.slots()).sum());
    let without = unknown_if_empty(
        sources
            .iter()
            .map(|s| s.instances_bound().times(s.per_instance_without_trunking))
            .sum(),
    );
    let with = unknown_if_empty(
        sources
            .iter()
            .map(|s| s.instances_bound().times(s.per_instance_with_trunking))
            .sum(),
    );
    ClusterCapacity {
        uncertain: sources.iter().any(|s| !s.certain),
        sources,
        replaced_by_assumption: replaced,
        daemons,
        instances,
        slots,
        slots_without_trunking: without,
        slots_with_trunking: with,
        missing,
    }
}

fn type_slots(
    catalog: &Catalog,
    instance_type: &str,
    setting: &TrunkingSetting,
    dns_a_record_on: bool,
    daemons: &Daemons,
) -> TypeSlots {
    let facts = catalog.lookup(instance_type);
    let f = facts.as_deref();
    let slots = f.map_or(Bound::unknown(), |f| {
        trunking::slots(f, setting, dns_a_record_on)
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
    Missing {
        what: format!(
            "ENI facts for instance type {t:?}, which is not in ecsnet's table{}",
            if hint.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", hint.join(", "))
            }
        ),
        supply: format!(
            "{example}, or the type's facts in .ecsnet.hcl: {}",
            crate::instances::override_example(t)
        ),
    }
}

/// Count instance type `t` in a plan source; a type ecsnet has no ENI facts for is also
/// recorded as missing, with how to supply one.
#[allow(clippy::too_many_arguments)]
fn add_type(
    catalog: &Catalog,
    src: &mut SourceCapacity,
    t: &str,
    setting: &TrunkingSetting,
    dns_a_record_on: bool,
    daemons: &Daemons,
    example: &str,
) {
    let ts = type_slots(catalog, t, setting, dns_a_record_on, daemons);
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
    let fold = |f: &dyn Fn(&TypeSlots) -> Bound| {
        src.types
            .iter()
            .map(f)
            .reduce(Bound::min)
            .unwrap_or(Bound::unknown())
    };
    src.per_instance = fold(&|t| t.slots_after_daemons);
    src.per_instance_without_trunking = fold(&|t| {
        t.facts.as_deref().map_or(Bound::unknown(), |f| {
            trunking::slots(f, &off, false).minus(daemons.awsvpc)
        })
    });
    // "With trunking" answers "what would enabling it give": the DNS A record setting that
    // blocks it is reported separately (NET071), so it is left out here.
    src.per_instance_with_trunking = fold(&|t| {
        t.facts.as_deref().map_or(Bound::unknown(), |f| {
            trunking::slots(f, &on, false).minus(daemons.awsvpc)
        })
    });
}

fn assumed_source(
    catalog: &Catalog,
    key: &str,
    a: &ClusterAssumption,
    setting: &TrunkingSetting,
    daemons: &Daemons,
) -> SourceCapacity {
    fixed_source(
        catalog,
        FixedInstances {
            label: format!("assume cluster \"{key}\""),
            why: format!("max_instances {}", a.max_instances),
            instance_types: std::slice::from_ref(&a.instance_type),
            max_instances: a.max_instances,
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
        managed_scaling: None,
        instances: Ok(Counted {
            n: fixed.max_instances,
            why: fixed.why,
        }),
        types: Vec::new(),
        smallest: None,
        per_instance: Bound::unknown(),
        per_instance_without_trunking: Bound::unknown(),
        per_instance_with_trunking: Bound::unknown(),
        dns_a_record_on: None,
        certain: true,
        missing: Vec::new(),
    };
    for t in fixed.instance_types {
        add_type(catalog, &mut src, t, setting, false, daemons, example);
    }
    finish(&mut src, daemons);
    src
}

#[allow(clippy::too_many_arguments)]
fn plan_source(
    catalog: &Catalog,
    model: &Model,
    // The cluster's plan: its capacity is looked up there first (see `Model::*_in`).
    plan: PlanIndex,
    s: &CapacitySource,
    setting: &TrunkingSetting,
    daemons: &Daemons,
    example: &str,
) -> SourceCapacity {
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
        managed_scaling,
        instances: Err(Missing {
            what: String::new(),
            supply: example.to_string(),
        }),
        types: Vec::new(),
        smallest: None,
        per_instance: Bound::unknown(),
        per_instance_without_trunking: Bound::unknown(),
        per_instance_with_trunking: Bound::unknown(),
        dns_a_record_on: None,
        certain: s.certain,
        missing: Vec::new(),
    };
    let miss = |what: String| Missing {
        what,
        supply: example.to_string(),
    };
    let mut dns = false;
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
                        _ => Err(miss(format!("max_size of {addr} (known after apply)"))),
                    };
                    if let Some(lt) = g
                        .launch_template
                        .as_ref()
                        .and_then(|l| l.address.as_deref())
                        .and_then(|a| model.launch_template_in(a, plan))
                    {
                        if lt.resource_name_dns_a_record.get() == Some(&true) {
                            dns = true;
                            src.dns_a_record_on = Some(lt.address.clone());
                        }
                    }
                    if g.uses_instance_requirements {
                        src.missing.push(miss(format!(
                            "the instance types of {addr} (chosen by instance_requirements)"
                        )));
                    } else if g.instance_types.sensitive {
                        src.missing
                            .push(super::demand::sensitive_missing("instance types", addr));
                    } else {
                        match g.instance_types.get() {
                            Some(ts) if !ts.is_empty() => {
                                for t in ts {
                                    add_type(catalog, &mut src, t, setting, dns, daemons, example);
                                }
                            }
                            _ => src.missing.push(miss(format!(
                            "the instance types of {addr} (known after apply or not in the plan)"
                        ))),
                        }
                    }
                }
                None => src
                    .missing
                    .push(miss(format!("{addr}, which is not in the plan"))),
            }
        }
        (CapacityKind::Instance, Some(addr)) => match model.instance_in(addr, plan) {
            Some(i) => {
                src.instances = Ok(Counted {
                    n: 1,
                    why: "instance".into(),
                });
                match i.instance_type.get().filter(|_| !i.instance_type.sensitive) {
                    Some(t) => add_type(catalog, &mut src, t, setting, false, daemons, example),
                    None => src.missing.push(miss(format!(
                        "the instance_type of {addr} (known after apply)"
                    ))),
                }
            }
            None => src
                .missing
                .push(miss(format!("{addr}, which is not in the plan"))),
        },
        _ => src.missing.push(miss(format!(
            "the autoscaling group of {} (outside the plan)",
            src.label
        ))),
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
    fn key() -> ClusterKey {
        ClusterKey::Plan {
            plan: 0,
            address: "aws_ecs_cluster.main".into(),
        }
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
        assert_eq!(cap.instances, Bound::exact(3));
        assert_eq!(cap.slots, Bound::exact(6));
        assert_eq!(cap.slots_with_trunking, Bound::exact(30));
        let d = cap.describe(&off());
        assert!(
            d.contains(
                "3 × c5.large (aws_autoscaling_group.ecs max_size 3) at 2 awsvpc slots each"
            ),
            "{d}"
        );
        assert!(d.contains("with awsvpcTrunking, c5.large takes 10"), "{d}");
        let cap = capacity(&m, &a, &on(), &key(), Some(&c), Daemons::default());
        assert_eq!(cap.slots, Bound::exact(30));
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
        assert_eq!(cap.slots, Bound::exact(4));
        let d = cap.describe(&off());
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
        assert_eq!(cap.slots.hi, None);
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
        assert_eq!(cap.slots, Bound::unknown());
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
        assert_eq!(cap.slots, Bound::exact(15));
        assert_eq!(
            cap.replaced_by_assumption,
            vec!["aws_autoscaling_group.ecs"]
        );
    }

    #[test]
    fn arn_names() {
        assert_eq!(
            name_from_arn("arn:aws:ecs:eu-west-1:1:cluster/prod"),
            "prod"
        );
        assert_eq!(name_from_arn("prod"), "prod");
    }
}
