//! Plan resources → model entities, one file per entity family.
//!
//! Extraction only decodes each resource's own values. Links between entities start out
//! as `Link::unresolved()` and are filled in by [`crate::model::resolve`], which needs every
//! entity of every plan first. While extracting, each entity's identifying values (ARN, id,
//! name, family) are recorded in the [`Lookup`] so that resolution never scans.

use crate::model::resolve::Lookup;
use crate::model::{Field, Model, PlanIndex, Val};
use crate::plan::{AttrRef, Mode, Plan};

mod account;
mod autoscaling;
mod clusters;
mod discovery;
mod services;
mod subnets;
mod target_groups;
mod task_definitions;
mod task_sets;
pub(crate) mod user_data;

/// Extract every ECS-related resource of one plan into `model`.
pub(crate) fn extract_plan(plan: &Plan, idx: PlanIndex, model: &mut Model, lookup: &mut Lookup) {
    for res in &plan.resources {
        let data = res.mode == Mode::Data;
        match (res.type_.as_str(), data) {
            ("aws_ecs_task_definition", false) => {
                task_definitions::extract(res, plan, idx, model, lookup)
            }
            ("aws_ecs_service", false) => services::extract(res, idx, model, lookup),
            ("aws_ecs_task_set", false) => task_sets::extract(res, idx, model),
            ("aws_ecs_cluster", false) => clusters::extract_cluster(res, idx, model, lookup),
            ("aws_ecs_capacity_provider", false) => {
                clusters::extract_capacity_provider(res, idx, model, lookup)
            }
            ("aws_autoscaling_group", false) => {
                autoscaling::extract_group(plan, res, idx, model, lookup)
            }
            ("aws_launch_template", false) => {
                autoscaling::extract_launch_template(plan, res, idx, model, lookup)
            }
            ("aws_launch_configuration", false) => {
                autoscaling::extract_launch_configuration(plan, res, idx, model, lookup)
            }
            ("aws_instance", false) => autoscaling::extract_instance(plan, res, idx, model, lookup),
            ("aws_subnet", _) => subnets::extract_subnet(res, idx, model, lookup),
            ("aws_vpc", _) => subnets::extract_vpc(res, idx, model, lookup),
            ("aws_lb_target_group", false) | ("aws_alb_target_group", false) => {
                target_groups::extract(res, idx, model, lookup)
            }
            ("aws_ecs_account_setting_default", false) => account::extract(res, model),
            ("aws_service_discovery_service", false) => discovery::extract(res, idx, model, lookup),
            _ => {}
        }
    }
}

/// A string attribute where the AWS provider writes `""` for "not set" (launch_type,
/// iam_role, platform_version, elb_name, ipv6_cidr_block, ...): `""` becomes Null.
pub(crate) fn opt_string(a: AttrRef<'_>) -> Field<String> {
    let f = a.string();
    match &f.val {
        Val::Known(s) if s.is_empty() => Field::null().with_sensitive(f.sensitive),
        _ => f,
    }
}

/// An integer where the provider writes `0` for "not set" (service registry ports).
pub(crate) fn opt_nonzero(a: AttrRef<'_>) -> Field<i64> {
    let f = a.int();
    match &f.val {
        Val::Known(0) => Field::null().with_sensitive(f.sensitive),
        _ => f,
    }
}

/// The first element of a nested block list: `Known(Some(item))`, `Known(None)` when the
/// block is absent or empty, `Unknown` when the whole block is unknown.
pub(crate) fn first_block(a: AttrRef<'_>) -> Field<Option<AttrRef<'_>>> {
    let items = a.items();
    let sensitive = items.sensitive;
    match items.val {
        Val::Known(v) => Field::known(v.into_iter().next()).with_sensitive(sensitive),
        Val::Null => Field::known(None).with_sensitive(sensitive),
        Val::Unknown => Field::unknown().with_sensitive(sensitive),
    }
}

/// Whether the configuration writes a top-level argument or block. `false` only when the
/// resource's configuration is in the plan and lacks it: the provider then plans an
/// optional + computed attribute as unknown although nothing sets it (`network_mode`,
/// `mixed_instances_policy`). Expressions inside `dynamic` blocks are not in the plan's
/// configuration, so a dynamically built block also reads as absent here.
pub(crate) fn configured(plan: &Plan, res: &crate::plan::Resource, attr: &str) -> bool {
    plan.config_resource(res)
        .is_none_or(|c| c.expressions.0.contains_key(attr))
}

/// Known, non-empty value for matching (sensitive allowed: matching computes, never prints).
pub(crate) fn key(f: &Field<String>) -> Option<&str> {
    f.get().map(String::as_str).filter(|s| !s.is_empty())
}
