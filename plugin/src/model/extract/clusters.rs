//! `aws_ecs_cluster` and `aws_ecs_capacity_provider`. The cluster's capacity providers and
//! default strategy (inline or from `aws_ecs_cluster_capacity_providers`) and its capacity
//! sources are filled in by `resolve::clusters`.

use super::{first_block, key};
use crate::model::resolve::{Kind, Lookup};
use crate::model::{CapacityProvider, Cluster, Field, Link, Model, PlanIndex, Val};
use crate::plan::Resource;

pub(super) fn extract_cluster<'p>(
    res: &'p Resource,
    plan: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
) {
    let v = res.values.root();
    let cluster = Cluster {
        address: res.address.clone(),
        plan,
        name: v.get("name").string(),
        arn: v.get("arn").string(),
        capacity_providers: Field::null(),
        default_strategy: Field::null(),
        capacity: vec![],
    };
    let pos = model.clusters.len();
    lookup.add(plan, res, Kind::Cluster, pos);
    if let Some(n) = key(&cluster.name) {
        lookup.cluster_name.insert(n, plan, pos);
    }
    // The provider's `id` of a cluster is its ARN.
    for attr in ["arn", "id"] {
        if let Some(a) = key(&v.get(attr).string()) {
            lookup.cluster_arn.insert(a, plan, pos);
        }
    }
    model.clusters.push(cluster);
}

pub(super) fn extract_capacity_provider<'p>(
    res: &'p Resource,
    plan: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
) {
    let v = res.values.root();
    let asg = first_block(v.get("auto_scaling_group_provider"));
    let managed_scaling = match asg.val {
        Val::Known(Some(p)) => {
            let status = super::services::block_string(p.get("managed_scaling"), "status");
            match status.val {
                Val::Known(s) => Field::known(s.eq_ignore_ascii_case("ENABLED")),
                Val::Null => Field::null(),
                Val::Unknown => Field::unknown(),
            }
        }
        Val::Known(None) | Val::Null => Field::null(),
        Val::Unknown => Field::unknown(),
    };
    let cp = CapacityProvider {
        address: res.address.clone(),
        plan,
        name: v.get("name").string(),
        autoscaling_group: Link::unresolved(),
        managed_scaling,
    };
    let pos = model.capacity_providers.len();
    lookup.add(plan, res, Kind::CapacityProvider, pos);
    if let Some(n) = key(&cp.name) {
        lookup.cp_name.insert(n, plan, pos);
    }
    model.capacity_providers.push(cp);
}
