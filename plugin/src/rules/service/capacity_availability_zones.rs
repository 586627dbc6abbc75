//! NET046: EC2 awsvpc tasks only land in Availability Zones where the cluster has instances.

use std::collections::BTreeSet;

use crate::capacity::{self, SourceCapacity};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{show_value, CapacityKind, Launch, Link, Resolution, Service};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Awsvpc, Missing, MissingKind};

declare_rule! {
    /// ## What it checks
    /// For an `aws_ecs_service` running awsvpc tasks on EC2 capacity, the Availability Zones
    /// of its `network_configuration` subnets are compared with the Availability Zones of the
    /// container instances its tasks can be placed on: the subnets of the Auto Scaling groups
    /// behind the capacity providers of its strategy (its own, else the cluster's default),
    /// or every group and instance registering to the cluster when it has none, or the
    /// `availability_zones` of an `assume` block's `cluster` block, which describes the
    /// cluster's instances in full. No common zone is an error; service subnets in zones
    /// without instances are a warning.
    ///
    /// A service subnet that is itself one of the capacity's subnets (the same known id, or
    /// the same resource) needs no zone: the group launches instances in it. Source: Amazon
    /// EC2 Auto Scaling API Reference, CreateAutoScalingGroup, `VPCZoneIdentifier`
    /// (<https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html>):
    /// "A comma-separated list of subnet IDs for a virtual private cloud (VPC) where
    /// instances in the Auto Scaling group can be created."
    ///
    /// ## Why it matters
    /// An awsvpc task's network interface is created in one of the service subnets, and it can
    /// only be attached to an instance in the same Availability Zone. With no overlap ECS can
    /// place no task at all (service events report no container instance meeting the
    /// requirements); with a partial overlap tasks crowd into fewer zones than intended.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_autoscaling_group" "ecs" {
    ///   vpc_zone_identifier = [aws_subnet.a.id]        # eu-west-1a only
    /// }
    /// resource "aws_ecs_service" "api" {
    ///   launch_type = "EC2"
    ///   network_configuration {
    ///     subnets = [aws_subnet.b.id, aws_subnet.c.id]   # eu-west-1b, eu-west-1c: NET046
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Give the service subnets in the zones where the Auto Scaling group launches instances,
    /// or extend the group's `vpc_zone_identifier` to the service's zones.
    pub struct CapacityAvailabilityZones {
        id: "NET046",
        name: "service-subnets-match-capacity-azs",
        severity: Error,
        summary: "EC2 awsvpc service subnets must be in Availability Zones where the service's capacity has instances",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html",
    }
}

const ATTR: &str = "network_configuration[0].subnets";

/// Availability Zones found for something, with what each came from.
#[derive(Default)]
struct Zones {
    /// (what, zone)
    found: Vec<(String, String)>,
    /// What could not be placed in a zone, with the `assume` hint for it.
    missing: Vec<(String, String, MissingKind)>,
    related: Vec<String>,
    /// A zone came from a sensitive value: compare it, never print it.
    sensitive: bool,
    /// Each subnet looked at, by identity (see [`subnet_identity`]); None when it has none.
    subnets: Vec<Option<String>>,
}

impl Zones {
    fn set(&self) -> BTreeSet<String> {
        self.found.iter().map(|(_, z)| z.clone()).collect()
    }
}

/// What identifies a subnet across references: its id when known, else its plan address
/// (within plan `plan`), else the literal the reference holds.
fn subnet_identity(l: &Link, s: Option<&crate::model::Subnet>, plan: usize) -> Option<String> {
    match (s.and_then(|s| s.id.get()), &l.address, &l.literal) {
        (Some(id), _, _) => Some(id.clone()),
        (None, Some(a), _) => Some(format!("{plan}:{a}")),
        (None, None, Some(lit)) => Some(lit.clone()),
        (None, None, None) => None,
    }
}

fn subnet_zone(cx: &Context<'_>, l: &Link, plan: usize, zones: &mut Zones) {
    let s = support::subnet(cx.model, l, plan);
    zones.subnets.push(subnet_identity(l, s, plan));
    let label = support::subnet_label(l);
    if let Some(z) = s.and_then(|s| s.availability_zone.get()) {
        zones.sensitive |= s.is_some_and(|s| s.availability_zone.sensitive);
        zones.found.push((label, z.clone()));
    } else if let Some(z) =
        support::subnet_assumption(cx, l, s).and_then(|a| a.availability_zone.clone())
    {
        zones.found.push((format!("{label} (assumed)"), z));
    } else {
        let key = s
            .filter(|s| !s.id.sensitive)
            .and_then(|s| s.id.get().cloned())
            .or_else(|| l.address.clone().or_else(|| l.literal.clone()))
            .unwrap_or_else(|| "SUBNET-ID".to_string());
        zones.missing.push((
            format!("the Availability Zone of subnet {label}"),
            format!(
                "`{}`",
                crate::config::hint::subnet(&key, "availability_zone", "\"<zone>\"")
            ),
            match s {
                Some(_) => MissingKind::AfterApply,
                None => MissingKind::of_link(l),
            },
        ));
    }
}

/// The zones of the capacity `svc`'s tasks are placed on: the groups of the capacity
/// providers of its strategy, or every instance of the cluster (see `capacity::placement`),
/// or the `availability_zones` of an `assume cluster` block that describes the cluster.
fn capacity_zones(cx: &Context<'_>, i: usize, svc: &Service) -> Result<Zones, Missing> {
    let a = capacity::memo::analysis(cx.model, cx.assume);
    let cluster = support::cluster_of(cx.model, svc);
    let key = support::cluster_assume_key(&svc.cluster, cluster);
    let assume_help = format!(
        "Add to .ecsnet.hcl, with the values of the cluster's instances:\n{}",
        crate::config::hint::cluster(&key, true)
    );
    let Some(c) = a.cluster_of(i) else {
        return Err(Missing::of_link(
            &svc.cluster,
            "the cluster is known only after apply, so the Availability Zones of its instances are unknown",
            assume_help,
        ));
    };
    let mut zones = Zones::default();
    if let Some(addr) = &c.address {
        zones.related.push(addr.clone());
    }
    let sources = a.sources_of(i);
    if sources.is_empty() {
        let what = match (cluster, &svc.cluster.literal) {
            (None, Some(_)) => format!(
                "cluster {} is outside the plan, so the Availability Zones of its instances are unknown",
                svc.cluster.describe()
            ),
            _ => format!(
                "no container instance capacity (Auto Scaling group or instance) of cluster {} that this service can use is in the plan",
                c.label
            ),
        };
        // The cluster's instances register from outside the plan.
        return Err(Missing::outside_plan(what, assume_help));
    }
    let hint = crate::config::hint::cluster(&key, true);
    for src in sources {
        source_zones(cx, c, src, svc.plan, &hint, &mut zones);
    }
    Ok(zones)
}

/// The zones of one capacity source.
fn source_zones(
    cx: &Context<'_>,
    c: &capacity::ClusterReport,
    src: &SourceCapacity,
    plan: usize,
    hint: &str,
    zones: &mut Zones,
) {
    match (src.kind, src.address.as_deref()) {
        (CapacityKind::Assumed, _) => {
            let cluster = c
                .address
                .as_deref()
                .and_then(|ad| cx.model.cluster_in(ad, c.plan));
            let assumed = cx
                .assume
                .cluster_for(capacity::cluster::names(&c.key, cluster))
                .filter(|(_, a)| !a.availability_zones.is_empty());
            match assumed {
                Some((k, a)) => {
                    for z in &a.availability_zones {
                        zones
                            .found
                            .push((format!("assume cluster \"{k}\""), z.clone()));
                    }
                }
                // The block states no zones: the instances it describes run where the plan's
                // groups and instances it replaces launch them, when the plan shows those.
                None if !c.capacity.replaced_by_assumption.is_empty()
                    && c.capacity.replaced_by_assumption.iter().all(|a| {
                        cx.model.autoscaling_group_in(a, plan).is_some()
                            || cx.model.instance_in(a, plan).is_some()
                    }) =>
                {
                    for a in &c.capacity.replaced_by_assumption {
                        let kind = if cx.model.autoscaling_group_in(a, plan).is_some() {
                            CapacityKind::AutoscalingGroup
                        } else {
                            CapacityKind::Instance
                        };
                        place_zones(cx, kind, a, plan, hint, zones);
                    }
                }
                None => zones.missing.push((
                    format!(
                        "the Availability Zones of the assumed capacity of {}",
                        c.label
                    ),
                    hint.to_string(),
                    MissingKind::OutsidePlan,
                )),
            }
        }
        (kind @ (CapacityKind::AutoscalingGroup | CapacityKind::Instance), Some(addr)) => {
            place_zones(cx, kind, addr, plan, hint, zones)
        }
        // The provider's group is one of several the configuration hides: judged when every
        // candidate launches in the same zones and subnets.
        (CapacityKind::AutoscalingGroup, None) if !src.one_of.is_empty() => {
            let each: Vec<Zones> = src
                .one_of
                .iter()
                .filter_map(|c| c.address.as_deref())
                .map(|a| {
                    let mut z = Zones::default();
                    place_zones(cx, CapacityKind::AutoscalingGroup, a, plan, hint, &mut z);
                    z
                })
                .collect();
            let same = |a: &Zones, b: &Zones| {
                let subnets = |z: &Zones| z.subnets.iter().cloned().collect::<BTreeSet<_>>();
                a.set() == b.set() && subnets(a) == subnets(b)
            };
            let agree = each.len() == src.one_of.len()
                && each.iter().all(|z| z.missing.is_empty())
                && each.windows(2).all(|w| same(&w[0], &w[1]));
            let mut each = each.into_iter();
            match each.next() {
                Some(first) if agree => {
                    zones.sensitive |= first.sensitive;
                    zones.found.extend(first.found);
                    zones.subnets.extend(first.subnets);
                    zones.related.extend(first.related);
                    for z in each {
                        zones.related.extend(z.related);
                    }
                }
                _ => zones.missing.push((
                    format!(
                        "which autoscaling group {} is, whose Availability Zones differ from one candidate to another or are unknown",
                        src.label
                    ),
                    hint.to_string(),
                    MissingKind::Hidden,
                )),
            }
        }
        _ => zones.missing.push((
            format!("the autoscaling group of {} (outside the plan)", src.label),
            hint.to_string(),
            MissingKind::OutsidePlan,
        )),
    }
}

/// The zones of the autoscaling group or instance at `addr`.
fn place_zones(
    cx: &Context<'_>,
    kind: CapacityKind,
    addr: &str,
    plan: usize,
    hint: &str,
    zones: &mut Zones,
) {
    match kind {
        CapacityKind::AutoscalingGroup => {
            let Some(asg) = cx.model.autoscaling_group_in(addr, plan) else {
                zones.missing.push((
                    "an Auto Scaling group outside the plan".to_string(),
                    hint.to_string(),
                    MissingKind::OutsidePlan,
                ));
                return;
            };
            zones.related.push(asg.address.clone());
            match (asg.subnets.get(), asg.availability_zones.get()) {
                (Some(sn), _) if !sn.is_empty() => {
                    let mut sub = Zones::default();
                    for l in sn {
                        subnet_zone(cx, l, plan, &mut sub);
                    }
                    zones.sensitive |= sub.sensitive;
                    for (what, z) in sub.found {
                        zones.found.push((format!("{} via {what}", asg.address), z));
                    }
                    zones.missing.extend(sub.missing);
                    zones.subnets.extend(sub.subnets);
                }
                (_, Some(az)) if !az.is_empty() => {
                    zones.sensitive |= asg.availability_zones.sensitive;
                    for z in az {
                        zones.found.push((asg.address.clone(), z.clone()));
                    }
                }
                _ => zones.missing.push((
                    format!("the subnets / Availability Zones of {}", asg.address),
                    hint.to_string(),
                    if asg.subnets.is_unknown() || asg.availability_zones.is_unknown() {
                        MissingKind::AfterApply
                    } else {
                        MissingKind::Hidden
                    },
                )),
            }
        }
        CapacityKind::Instance => {
            let Some(inst) = cx.model.instance_in(addr, plan) else {
                zones.missing.push((
                    "an instance outside the plan".to_string(),
                    hint.to_string(),
                    MissingKind::OutsidePlan,
                ));
                return;
            };
            zones.related.push(inst.address.clone());
            if let Some(z) = inst.availability_zone.get() {
                zones.sensitive |= inst.availability_zone.sensitive;
                zones.found.push((inst.address.clone(), z.clone()));
            } else if let Some(l) = &inst.subnet {
                let mut sub = Zones::default();
                subnet_zone(cx, l, plan, &mut sub);
                zones.sensitive |= sub.sensitive;
                for (what, z) in sub.found {
                    zones
                        .found
                        .push((format!("{} via {what}", inst.address), z));
                }
                zones.missing.extend(sub.missing);
                zones.subnets.extend(sub.subnets);
            } else {
                zones.missing.push((
                    format!("the Availability Zone of {}", inst.address),
                    hint.to_string(),
                    MissingKind::AfterApply,
                ));
            }
        }
        _ => {}
    }
}

fn missing_of(parts: &[(String, String, MissingKind)]) -> Missing {
    let what: Vec<&str> = parts.iter().map(|(w, _, _)| w.as_str()).collect();
    let kind = parts
        .iter()
        .map(|p| p.2)
        .reduce(MissingKind::combine)
        .unwrap_or(MissingKind::OutsidePlan);
    let mut hints: Vec<&str> = Vec::new();
    for (_, h, _) in parts {
        if !hints.contains(&h.as_str()) {
            hints.push(h);
        }
    }
    Missing::new(
        format!(
            "{} is known only after apply or outside the plan",
            support::and_list(&what)
        ),
        format!(
            "Supply it inside the assume block of .ecsnet.hcl: {}.",
            hints.join("; ")
        ),
        kind,
    )
}

impl Rule for CapacityAvailabilityZones {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (i, svc) in cx.model.services.iter().enumerate() {
            let Some(cfg) = support::awsvpc_config(svc) else {
                continue;
            };
            if !matches!(support::service_awsvpc(cx, svc), Awsvpc::Yes(_)) {
                continue;
            }
            match svc.launch.get() {
                Some(Launch::Ec2) => {}
                Some(_) => continue,
                None => {
                    out.push(support::unverifiable(
                        cx,
                        &Self::META,
                        svc,
                        "launch_type",
                        "that this awsvpc service's subnets match its capacity's Availability Zones",
                        &Missing::after_apply(
                            "where its tasks run (launch_type / capacity provider strategy) is known only after apply",
                            "Set launch_type or capacity_provider_strategy from values known at plan time.",
                        ),
                    ));
                    continue;
                }
            }
            // A list the configuration hides among candidates: judged as if it held every
            // candidate, which can only pass (each subnet it may hold is in a zone with
            // instances); anything else stays a note.
            let candidate_links: Vec<Link>;
            let hidden = match (cfg.subnets.get(), &cfg.subnet_candidates) {
                (None, Some(c)) => {
                    candidate_links = c
                        .candidates
                        .iter()
                        .map(|a| Link::to_address(a.clone(), Resolution::OneOfCandidates, false))
                        .collect();
                    Some(c)
                }
                _ => {
                    candidate_links = Vec::new();
                    None
                }
            };
            let Some(subnets) = cfg.subnets.get().or(hidden.map(|_| &candidate_links)) else {
                out.push(zones_note(
                    cx,
                    svc,
                    &Missing::after_apply(
                        "the subnet list is known only after apply",
                        "Reference the subnet resources or data sources directly so ecsnet can follow them.",
                    ),
                ));
                continue;
            };
            if subnets.is_empty() {
                continue; // NET040
            }
            let mut service = Zones::default();
            for l in subnets {
                subnet_zone(cx, l, svc.plan, &mut service);
            }
            let capacity = match capacity_zones(cx, i, svc) {
                Ok(z) => z,
                Err(m) => {
                    out.push(zones_note(cx, svc, &m));
                    continue;
                }
            };
            // A service subnet that is itself one of the capacity's subnets is in a zone with
            // instances, whatever that zone is: when every one is, nothing needs a zone.
            let capacity_subnets: BTreeSet<&str> = capacity
                .subnets
                .iter()
                .flatten()
                .map(String::as_str)
                .collect();
            if service.subnets.iter().all(|id| {
                id.as_deref()
                    .is_some_and(|id| capacity_subnets.contains(id))
            }) {
                continue;
            }
            let mut missing = service.missing.clone();
            missing.extend(capacity.missing.iter().cloned());
            if !missing.is_empty() {
                out.push(zones_note(cx, svc, &missing_of(&missing)));
                continue;
            }
            let s = service.set();
            let c = capacity.set();
            let sens = service.sensitive || capacity.sensitive;
            let zone = |z: &str| show_value(&z, sens);
            let without: Vec<String> = service
                .found
                .iter()
                .filter(|(_, z)| !c.contains(z))
                .map(|(w, z)| format!("{w} ({})", zone(z)))
                .collect();
            if without.is_empty() {
                continue;
            }
            if let Some(c) = hidden {
                out.push(zones_note(
                    cx,
                    svc,
                    &Missing::hidden(
                        format!(
                            "the subnet list is known only after apply (the configuration hides which of {} it holds), and some of them are in zones without container instances: {}",
                            support::and_list(&c.candidates),
                            support::and_list(&without)
                        ),
                        "Reference the subnet resources or data sources directly so ecsnet can follow them.",
                    ),
                ));
                continue;
            }
            let list = |set: &BTreeSet<String>| {
                support::and_list(&set.iter().map(|z| zone(z)).collect::<Vec<_>>())
            };
            let detail = format!(
                "Service subnets: {}\nContainer instances: {}",
                service
                    .found
                    .iter()
                    .map(|(w, z)| format!("{w} ({})", zone(z)))
                    .collect::<Vec<_>>()
                    .join(", "),
                capacity
                    .found
                    .iter()
                    .map(|(w, z)| format!("{w} ({})", zone(z)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let overlap: BTreeSet<String> = s.intersection(&c).cloned().collect();
            let mut d = if overlap.is_empty() {
                cx.diag(
                    &Self::META,
                    &svc.address,
                    format!(
                        "no service subnet is in an Availability Zone with container instances: subnets are in {}, instances only in {}; no task can be placed",
                        list(&s),
                        list(&c)
                    ),
                )
            } else {
                cx.diag(
                    &Self::META,
                    &svc.address,
                    format!(
                        "subnet(s) {} are in Availability Zones without container instances; tasks can only be placed in {}",
                        support::and_list(&without),
                        list(&overlap)
                    ),
                )
                .severity(Severity::Warning)
            }
            .attribute(ATTR)
            .detail(detail)
            .help("Use service subnets in the zones where the Auto Scaling group launches instances, or add subnets of the service's zones to the group's vpc_zone_identifier.")
            .plan(svc.plan);
            for r in capacity.related {
                d = d.related(r);
            }
            d.push(out);
        }
    }
}

/// The note for a service whose zones cannot be compared with its capacity's.
fn zones_note(cx: &Context<'_>, svc: &Service, missing: &Missing) -> Diagnostic {
    support::unverifiable(
        cx,
        &CapacityAvailabilityZones::META,
        svc,
        ATTR,
        "that this service's subnets match its capacity's Availability Zones",
        missing,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Assumptions, ClusterAssumption, SubnetAssumption};
    use crate::model::testing as t;
    use crate::model::{Field, Model, NetworkMode, Resolution};
    use crate::rules::service::support::test_support::{firm, run, run_with, unverified};

    fn model(service_azs: &[&str], asg_azs: &[&str]) -> Model {
        let mut m = Model::default();
        m.task_definitions.push(t::task_definition(
            "aws_ecs_task_definition.api",
            NetworkMode::Awsvpc,
        ));
        let mut svc_subnets = Vec::new();
        for (i, az) in service_azs.iter().enumerate() {
            let a = format!("aws_subnet.svc[{i}]");
            m.subnets.push(t::subnet(&a, "10.0.0.0/24", az));
            svc_subnets.push(a);
        }
        let mut asg_subnets = Vec::new();
        for (i, az) in asg_azs.iter().enumerate() {
            let a = format!("aws_subnet.asg[{i}]");
            m.subnets.push(t::subnet(&a, "10.1.0.0/24", az));
            asg_subnets.push(Link::to_address(a, Resolution::ConfigReference, true));
        }
        let mut asg = t::autoscaling_group("aws_autoscaling_group.ecs", &["c5.large"], 3);
        asg.subnets = Field::known(asg_subnets);
        m.autoscaling_groups.push(asg);
        m.clusters.push(t::cluster(
            "aws_ecs_cluster.main",
            &["aws_autoscaling_group.ecs"],
        ));
        let refs: Vec<&str> = svc_subnets.iter().map(|s| s.as_str()).collect();
        let mut s = t::service(
            "aws_ecs_service.api",
            "aws_ecs_task_definition.api",
            "aws_ecs_cluster.main",
        );
        s.network_configuration = Field::known(Some(t::awsvpc(&refs)));
        m.services.push(s);
        m
    }

    #[test]
    fn hidden_subnets_pass_when_every_candidate_has_instances_in_its_zone() {
        let with = |service_azs: &[&str]| {
            let mut m = model(service_azs, &["eu-west-1a", "eu-west-1b"]);
            if let crate::model::Val::Known(Some(c)) = &mut m.services[0].network_configuration.val
            {
                let names = c.subnets.get().unwrap().iter();
                let names = names.filter_map(|l| l.address.clone()).collect();
                c.subnets = Field::unknown();
                c.subnet_candidates = Some(Link::one_of(names));
            }
            run(&CapacityAvailabilityZones, &m)
        };
        assert!(with(&["eu-west-1a", "eu-west-1b"]).is_empty());
        // A candidate in a zone without instances may or may not be in the list: a note, no
        // warning or error (even when no candidate has instances).
        for azs in [&["eu-west-1a", "eu-west-1c"][..], &["eu-west-1c"][..]] {
            let d = with(azs);
            assert_eq!((d.len(), unverified(&d).len()), (1, 1), "{d:#?}");
            assert!(
                d[0].message.contains("aws_subnet.svc[0]"),
                "{}",
                d[0].message
            );
        }
    }

    #[test]
    fn no_overlap_is_error() {
        let d = run(
            &CapacityAvailabilityZones,
            &model(&["eu-west-1b"], &["eu-west-1a"]),
        );
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0]
            .related
            .contains(&"aws_autoscaling_group.ecs".to_string()));
    }

    #[test]
    fn partial_overlap_is_warning() {
        let d = run(
            &CapacityAvailabilityZones,
            &model(&["eu-west-1a", "eu-west-1c"], &["eu-west-1a", "eu-west-1b"]),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(d[0].message.contains("aws_subnet.svc[1] (eu-west-1c)"));
    }

    #[test]
    fn full_overlap_passes() {
        let m = model(
            &["eu-west-1a", "eu-west-1b"],
            &["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        );
        assert!(run(&CapacityAvailabilityZones, &m).is_empty());
    }

    #[test]
    fn unknown_zone_is_unverifiable_and_assumption_resolves_it() {
        let mut m = model(&["eu-west-1a"], &["eu-west-1a"]);
        m.subnets[0].availability_zone = Field::unknown();
        let d = run(&CapacityAvailabilityZones, &m);
        assert_eq!(unverified(&d).len(), 1);
        assert!(d[0]
            .help
            .as_deref()
            .unwrap()
            .contains("subnet \"aws_subnet.svc[0]\""));
        let mut a = Assumptions::default();
        a.subnets.insert(
            "aws_subnet.svc[0]".into(),
            SubnetAssumption {
                availability_zone: Some("eu-west-1c".into()),
                ..Default::default()
            },
        );
        let d = run_with(&CapacityAvailabilityZones, &m, &a);
        assert_eq!(firm(&d).len(), 1);
    }

    #[test]
    fn the_same_subnets_need_no_zone() {
        // Both the service and the group use the same subnets, whose zones are unknown.
        let mut m = model(&["eu-west-1a", "eu-west-1b"], &[]);
        for s in &mut m.subnets {
            s.availability_zone = Field::unknown();
        }
        let same: Vec<Link> = (0..2)
            .map(|i| {
                Link::to_address(
                    format!("aws_subnet.svc[{i}]"),
                    Resolution::ConfigReference,
                    true,
                )
            })
            .collect();
        m.autoscaling_groups[0].subnets = Field::known(same.clone());
        assert!(run(&CapacityAvailabilityZones, &m).is_empty());
        // Known ids outside the plan compare as ids.
        let ids: Vec<Link> = ["subnet-1", "subnet-2"].map(Link::outside).into();
        m.autoscaling_groups[0].subnets = Field::known(ids.clone());
        let mut cfg = t::awsvpc(&[]);
        cfg.subnets = Field::known(vec![ids[1].clone(), ids[0].clone()]);
        m.services[0].network_configuration = Field::known(Some(cfg));
        assert!(run(&CapacityAvailabilityZones, &m).is_empty());
        // One service subnet the group does not use: its zone is needed.
        m.autoscaling_groups[0].subnets = Field::known(same[..1].to_vec());
        m.services[0].network_configuration =
            Field::known(Some(t::awsvpc(&["aws_subnet.svc[0]", "aws_subnet.svc[1]"])));
        assert_eq!(unverified(&run(&CapacityAvailabilityZones, &m)).len(), 1);
    }

    #[test]
    fn cluster_outside_plan_uses_assumption() {
        let mut m = model(&["eu-west-1a"], &[]);
        m.clusters.clear();
        m.services[0].cluster = Link::outside("arn:aws:ecs:eu-west-1:1:cluster/prod");
        let d = run(&CapacityAvailabilityZones, &m);
        assert_eq!(unverified(&d).len(), 1);
        assert!(d[0].help.as_deref().unwrap().contains("cluster \"prod\""));
        let mut a = Assumptions::default();
        a.clusters.insert(
            "prod".into(),
            ClusterAssumption {
                instance_type: "c5.large".into(),
                max_instances: 3,
                availability_zones: vec!["eu-west-1b".into()],
            },
        );
        let d = run_with(&CapacityAvailabilityZones, &m, &a);
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
    }
}
