//! Link resolution: after every plan's entities are extracted, connect them. Each link
//! records how it was found ([`crate::model::Resolution`]) and whether it is certain.
//!
//! Order matters: capacity providers need their groups, groups their launch templates,
//! clusters their capacity providers, and a service's `launch` needs its cluster's default
//! strategy. Each step reads the model, then writes its results, so that no entity is
//! borrowed while another is updated.

use std::collections::HashMap;

use crate::config::Assumptions;
use crate::model::extract::opt_string;
use crate::model::{CapacityProviderStrategyItem, Field, Link, Model, Resolution};
use crate::plan::{Plan, Resource};

mod capacity;
mod clusters;
mod launch;
mod links;
mod lookup;
mod network;
mod routes;
mod services;

pub(crate) use lookup::{Kind, Lookup};

use clusters::{CapacityInputs, ProviderRef};
use links::{match_cluster, match_in, Cx};

/// Resolve every link of `model` (entities extracted from `plans`, positions in `lookup`).
pub(crate) fn resolve(plans: &[Plan], model: &mut Model, lookup: &Lookup, assume: &Assumptions) {
    vpcs(plans, model, lookup);
    routes::subnet_egress(plans, model, lookup);
    let managed_instances = capacity_providers(plans, model, lookup);
    groups(plans, model, lookup);
    instances(plans, model, lookup);
    let wiring = cluster_providers(plans, model, lookup);
    services_and_task_sets(plans, model, lookup);
    cluster_capacity(model, lookup, assume, &wiring);
    launches(model, lookup, &wiring, &managed_instances);
}

fn cx<'a>(
    plans: &'a [Plan],
    idx: usize,
    lookup: &'a Lookup<'a>,
    model: &'a Model,
) -> Option<Cx<'a>> {
    plans.get(idx).map(|plan| Cx {
        plan,
        idx,
        lookup,
        model,
    })
}

/// Compute one value per entity of a vector from its plan resource, then store them. The
/// computing only reads, so on a large plan it is spread over the cores (`crate::par`).
/// The resource of an entity that the lookup holds (by `$kind` and position) is taken
/// from it, else found by address.
macro_rules! per_entity {
    ($plans:expr, $model:expr, $lookup:expr, $vec:ident, $kind:expr, |$cx:ident, $res:ident, $e:ident| $compute:expr, |$t:ident, $v:ident| $store:expr) => {{
        let results: Vec<_> = {
            let m: &Model = $model;
            let kind: Option<Kind> = $kind;
            let positions: Vec<usize> = (0..m.$vec.len()).collect();
            crate::par::map(&positions, PARALLEL_MIN, |&pos| {
                let $e = &m.$vec[pos];
                let $cx = cx($plans, $e.plan, $lookup, m)?;
                let $res = match kind.and_then(|k| $lookup.resource(k, pos)) {
                    Some((plan, r)) if plan == $e.plan && r.address == $e.address => r,
                    _ => $cx.plan.resource(&$e.address)?,
                };
                Some($compute)
            })
        };
        for ($t, r) in $model.$vec.iter_mut().zip(results) {
            if let Some($v) = r {
                $store;
            }
        }
    }};
}

/// Entities per thread below which [`per_entity!`] stays on one thread (see the extraction's
/// `PARALLEL_MIN`).
const PARALLEL_MIN: usize = 48;

fn vpcs(plans: &[Plan], model: &mut Model, lookup: &Lookup) {
    per_entity!(
        plans,
        model,
        lookup,
        subnets,
        Some(Kind::Subnet),
        |c, res, _e| vpc_link(&c, res),
        |t, v| t.vpc = v
    );
    per_entity!(
        plans,
        model,
        lookup,
        target_groups,
        Some(Kind::TargetGroup),
        |c, res, _e| vpc_link(&c, res),
        |t, v| t.vpc = v
    );
    per_entity!(
        plans,
        model,
        lookup,
        vpc_endpoints,
        None,
        |c, res, _e| vpc_link(&c, res),
        |t, v| t.vpc = v
    );
    // Subnets outside the plan that a filtered `data.aws_subnets` returned: their VPC id,
    // matched like a subnet's `vpc_id` so that both name one VPC alike.
    let vpcs = &model.vpcs;
    for ((plan, _), link) in model.filtered_subnet_vpcs.iter_mut() {
        let Some(id) = link.literal.clone() else {
            continue;
        };
        if let Some((pos, certain)) = match_in(&lookup.vpc_id, *plan, &id) {
            *link = Link::to_address(vpcs[pos].address.clone(), Resolution::KnownValue, certain);
        }
    }
}

/// The VPC of a subnet, target group or VPC endpoint, from its `vpc_id`.
fn vpc_link(c: &Cx<'_>, res: &Resource) -> Option<Link> {
    c.link(
        res,
        "vpc_id",
        &opt_string(res.values.root().get("vpc_id")),
        Kind::Vpc,
        |v| match_in(&c.lookup.vpc_id, c.idx, v),
    )
}

/// Capacity provider → autoscaling group; returns which providers are Managed Instances.
fn capacity_providers(plans: &[Plan], model: &mut Model, lookup: &Lookup) -> Vec<bool> {
    per_entity!(
        plans,
        model,
        lookup,
        capacity_providers,
        Some(Kind::CapacityProvider),
        |c, res, _e| capacity::capacity_provider_asg(&c, res),
        |t, v| t.autoscaling_group = v
    );
    model
        .capacity_providers
        .iter()
        .map(|cp| {
            plans
                .get(cp.plan)
                .and_then(|p| p.resource(&cp.address))
                .is_some_and(capacity::is_managed_instances)
        })
        .collect()
}

fn groups(plans: &[Plan], model: &mut Model, lookup: &Lookup) {
    per_entity!(
        plans,
        model,
        lookup,
        autoscaling_groups,
        Some(Kind::AutoscalingGroup),
        |c, res, _e| capacity::group_links(&c, res),
        |t, v| {
            t.launch_template = v.launch_template;
            t.launch_configuration = v.launch_configuration;
            t.subnets = v.subnets;
            t.instance_types = v.override_types;
        }
    );
    // Instance types and user data come from the linked template / configuration.
    let m: &Model = model;
    /// What a group takes from its template or configuration.
    struct Derived {
        types: Field<Vec<String>>,
        ecs_cluster: Option<String>,
        reserved_ports: Option<Vec<u16>>,
        type_candidates: Option<Vec<String>>,
    }
    let derived: Vec<Derived> = m
        .autoscaling_groups
        .iter()
        .map(|g| {
            let lt = g
                .launch_template
                .as_ref()
                .and_then(|l| l.address.as_deref())
                .and_then(|a| lookup.at_any(g.plan, a, Kind::LaunchTemplate))
                .map(|p| &m.launch_templates[p]);
            let lc = g
                .launch_configuration
                .as_ref()
                .and_then(|l| l.address.as_deref())
                .and_then(|a| lookup.at_any(g.plan, a, Kind::LaunchConfiguration))
                .map(|p| &m.launch_configurations[p]);
            let types = capacity::instance_types(
                g.uses_instance_requirements,
                &g.instance_types,
                lt.map(|t| &t.instance_type),
                lc.map(|c| &c.instance_type),
            );
            // A template hidden among several candidates: what they all agree on.
            let candidates = g
                .launch_template
                .as_ref()
                .filter(|l| !l.candidates.is_empty());
            let candidate = |a: &str| {
                lookup
                    .at_any(g.plan, a, Kind::LaunchTemplate)
                    .map(|p| &m.launch_templates[p])
            };
            let agreed =
                |f: &dyn Fn(&crate::model::LaunchTemplate) -> Option<String>| match candidates?
                    .all(|a| candidate(a).map(f))
                {
                    crate::model::Verdict::All(v) => v,
                    crate::model::Verdict::Undecided => None,
                };
            let ud = lt
                .and_then(|t| t.ecs_cluster_from_user_data.clone())
                .or_else(|| lc.and_then(|c| c.ecs_cluster_from_user_data.clone()))
                .or_else(|| agreed(&|t| t.ecs_cluster_from_user_data.clone()));
            let reserved = lt
                .and_then(|t| t.reserved_ports_from_user_data.clone())
                .or_else(|| lc.and_then(|c| c.reserved_ports_from_user_data.clone()));
            // One of the candidates' types, when the group has no overrides of its own.
            let type_candidates = candidates
                .filter(|_| {
                    !g.uses_instance_requirements
                        && g.instance_types.get().is_some_and(Vec::is_empty)
                })
                .and_then(|l| {
                    l.answers(|a| {
                        let t = &candidate(a)?.instance_type;
                        t.get().filter(|_| !t.sensitive).cloned()
                    })
                })
                .map(|mut ts| {
                    ts.sort();
                    ts.dedup();
                    ts
                });
            Derived {
                types,
                ecs_cluster: ud,
                reserved_ports: reserved,
                type_candidates,
            }
        })
        .collect();
    for (g, d) in model.autoscaling_groups.iter_mut().zip(derived) {
        g.instance_types = d.types;
        g.ecs_cluster_from_user_data = d.ecs_cluster;
        g.reserved_ports_from_user_data = d.reserved_ports;
        g.instance_type_candidates = d.type_candidates;
    }
}

fn instances(plans: &[Plan], model: &mut Model, lookup: &Lookup) {
    per_entity!(
        plans,
        model,
        lookup,
        instances,
        Some(Kind::Instance),
        |c, res, _e| capacity::instance_subnet(&c, res),
        |t, v| t.subnet = v
    );
}

/// How clusters are wired to capacity providers, collected from
/// `aws_ecs_cluster_capacity_providers` (and the deprecated inline attributes).
#[derive(Default)]
struct Wiring {
    /// Capacity providers a cluster's `aws_ecs_cluster_capacity_providers` references when
    /// their names are unknown.
    referenced: HashMap<usize, Vec<(usize, bool)>>,
    /// Default strategies of clusters outside the plan, by cluster name.
    outside_defaults: HashMap<String, Field<Vec<CapacityProviderStrategyItem>>>,
}

fn cluster_providers(plans: &[Plan], model: &mut Model, lookup: &Lookup) -> Wiring {
    // Inline attributes first (AWS provider v4 and earlier): the dedicated resource wins.
    per_entity!(
        plans,
        model,
        lookup,
        clusters,
        Some(Kind::Cluster),
        |c, res, _e| {
            (
                res.attr("capacity_providers").strings(),
                network::strategy(&c, res, "default_capacity_provider_strategy"),
            )
        },
        |t, v| {
            t.capacity_providers = v.0;
            t.default_strategy = v.1;
        }
    );
    let mut wiring = Wiring::default();
    let mut updates = Vec::new();
    for (idx, plan) in plans.iter().enumerate() {
        let c = Cx {
            plan,
            idx,
            lookup,
            model,
        };
        for res in plan.resources_of_type("aws_ecs_cluster_capacity_providers") {
            let name = res.attr("cluster_name").string();
            let link = c.link(res, "cluster_name", &name, Kind::Cluster, |v| {
                match_cluster(lookup, idx, v)
            });
            let names = res.attr("capacity_providers").strings();
            let strategy = network::strategy(&c, res, "default_capacity_provider_strategy");
            let target = link
                .as_ref()
                .and_then(|l| l.address.as_deref())
                .and_then(|a| lookup.at(idx, a, Kind::Cluster));
            match target {
                Some(pos) => {
                    let refs = c.referenced(res, "capacity_providers", Kind::CapacityProvider);
                    updates.push((pos, names, strategy, refs));
                }
                None => {
                    if let Some(n) = name.get() {
                        wiring.outside_defaults.insert(n.clone(), strategy);
                    }
                }
            }
        }
    }
    for (pos, names, strategy, refs) in updates {
        let cl = &mut model.clusters[pos];
        cl.capacity_providers = names;
        cl.default_strategy = strategy;
        wiring.referenced.entry(pos).or_default().extend(refs);
    }
    wiring
}

fn services_and_task_sets(plans: &[Plan], model: &mut Model, lookup: &Lookup) {
    per_entity!(
        plans,
        model,
        lookup,
        services,
        Some(Kind::Service),
        |c, res, _e| services::service_links(&c, res),
        |t, v| {
            t.task_definition = v.task_definition;
            t.cluster = v.cluster;
            t.capacity_provider_strategy = v.strategy;
            t.network_configuration = v.network;
            t.load_balancers = v.load_balancers;
            t.service_registries = v.registries;
        }
    );
    per_entity!(
        plans,
        model,
        lookup,
        task_sets,
        None,
        |c, res, _e| services::task_set_links(&c, res),
        |t, v| {
            t.service = v.service;
            t.cluster = v.cluster;
            t.task_definition = v.task_definition;
            t.network_configuration = v.network;
            t.load_balancers = v.load_balancers;
        }
    );
}

fn cluster_capacity(model: &mut Model, lookup: &Lookup, assume: &Assumptions, wiring: &Wiring) {
    let m: &Model = model;
    // Providers named by each cluster, its default strategy and its services' strategies.
    let mut providers: Vec<Vec<ProviderRef>> = vec![Vec::new(); m.clusters.len()];
    let cp_pos = |plan: usize, addr: &str| lookup.at_any(plan, addr, Kind::CapacityProvider);
    for (i, cl) in m.clusters.iter().enumerate() {
        if let Some(names) = cl.capacity_providers.get() {
            providers[i].extend(names.iter().map(|n| ProviderRef::Name(n.clone())));
        }
        if let Some(items) = cl.default_strategy.get() {
            push_items(&mut providers[i], items, |a| cp_pos(cl.plan, a));
        }
        if let Some(refs) = wiring.referenced.get(&i) {
            providers[i].extend(refs.iter().map(|&(p, c)| ProviderRef::Position(p, c)));
        }
    }
    for s in &m.services {
        let Some(pos) = s
            .cluster
            .address
            .as_deref()
            .and_then(|a| lookup.at_any(s.plan, a, Kind::Cluster))
        else {
            continue;
        };
        if let Some(items) = s.capacity_provider_strategy.get() {
            push_items(&mut providers[pos], items, |a| cp_pos(s.plan, a));
        }
    }
    let mut groups_by_ud: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, g) in m.autoscaling_groups.iter().enumerate() {
        if let Some(n) = &g.ecs_cluster_from_user_data {
            groups_by_ud.entry(n.clone()).or_default().push(i);
        }
    }
    let mut instances_by_ud: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, inst) in m.instances.iter().enumerate() {
        if let Some(n) = &inst.ecs_cluster_from_user_data {
            instances_by_ud.entry(n.clone()).or_default().push(i);
        }
    }
    let capacity: Vec<_> = m
        .clusters
        .iter()
        .enumerate()
        .map(|(i, cl)| {
            let by_name = |n: &str| lookup.cp_name.pick(n, cl.plan);
            let inp = CapacityInputs {
                model: m,
                cp_by_name: &by_name,
                groups_by_user_data: &groups_by_ud,
                instances_by_user_data: &instances_by_ud,
                assume,
            };
            clusters::capacity_sources(cl, &providers[i], &inp)
        })
        .collect();
    for (cl, cap) in model.clusters.iter_mut().zip(capacity) {
        cl.capacity = cap;
    }
}

fn push_items(
    out: &mut Vec<ProviderRef>,
    items: &[CapacityProviderStrategyItem],
    pos_of: impl Fn(&str) -> Option<usize>,
) {
    for it in items {
        if let Some(p) = clusters::provider_from_item(
            it.capacity_provider.get().map(String::as_str),
            it.link.as_ref(),
            &pos_of,
        ) {
            out.push(p);
        }
    }
}

fn launches(model: &mut Model, lookup: &Lookup, wiring: &Wiring, managed_instances: &[bool]) {
    let m: &Model = model;
    let launches: Vec<Field<crate::model::Launch>> = m
        .services
        .iter()
        .map(|s| {
            // Extraction leaves `launch_type` Null when the configuration omits it (also
            // through a null module variable), so an unknown one is a configured unknown.
            let configured = s.launch_type.is_unknown();
            let default = match s.cluster.address.as_deref() {
                Some(a) => match lookup.at_any(s.plan, a, Kind::Cluster) {
                    Some(i) => launch::ClusterDefault::Known(&m.clusters[i].default_strategy),
                    None => launch::ClusterDefault::Unseen,
                },
                None => {
                    let name = s
                        .cluster
                        .literal
                        .as_deref()
                        .map(crate::model::arn::cluster_name);
                    match name.and_then(|n| wiring.outside_defaults.get(n)) {
                        Some(d) => launch::ClusterDefault::Known(d),
                        None => launch::ClusterDefault::Unseen,
                    }
                }
            };
            let is_mi = |it: &CapacityProviderStrategyItem| {
                it.link
                    .as_ref()
                    .and_then(|l| l.address.as_deref())
                    .and_then(|a| lookup.at_any(s.plan, a, Kind::CapacityProvider))
                    .is_some_and(|i| managed_instances.get(i).copied().unwrap_or(false))
            };
            launch::derive(
                &s.launch_type,
                configured,
                &s.capacity_provider_strategy,
                default,
                &is_mi,
            )
        })
        .collect();
    for (s, l) in model.services.iter_mut().zip(launches) {
        s.launch = l;
    }
}
