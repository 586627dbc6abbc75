//! Plan resources → model entities, one file per entity family.
//!
//! Extraction only decodes each resource's own values. Links between entities start out
//! as `Link::unresolved()` and are filled in by [`crate::model::resolve`], which needs every
//! entity of every plan first. While extracting, each entity's identifying values (ARN, id,
//! name, family) are recorded in the [`Lookup`] so that resolution never scans.

use crate::model::resolve::Lookup;
use crate::model::{Field, Model, PlanIndex, Service, TargetGroup, TaskDefinition, Val};
use crate::plan::{Action, AttrRef, Mode, Plan, Resource};

mod account;
mod autoscaling;
mod clusters;
mod containers;
mod discovery;
mod services;
mod subnets;
mod target_groups;
mod task_definitions;
mod task_sets;
pub(crate) mod user_data;
pub(crate) mod written;

#[cfg(test)]
pub(crate) use services::is_service_linked_role;

/// Extract every ECS-related resource of one plan into `model`.
pub(crate) fn extract_plan<'p>(
    plan: &'p Plan,
    idx: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
) {
    // On a large plan, most of the extraction time is reading the values of its thousands
    // of task definitions, services and target groups. That only reads the plan, so it is
    // done first, spread over the cores; then every entity is added to the model and the
    // lookup in plan order, as if extracted one by one.
    let decoded = crate::par::map(&plan.resources, PARALLEL_MIN, |res| decode(plan, res, idx));
    lookup.reserve(idx, plan.resources.len());
    for (res, decoded) in plan.resources.iter().zip(decoded) {
        let data = res.mode == Mode::Data;
        match (res.type_.as_str(), data, decoded) {
            (_, _, Some(Decoded::TaskDefinition(td, arns))) => {
                task_definitions::register(td, arns, idx, model, lookup, &res.address)
            }
            (_, _, Some(Decoded::Service(svc, arns))) => {
                services::register(svc, arns, idx, model, lookup, &res.address)
            }
            (_, _, Some(Decoded::TargetGroup(tg, arns))) => {
                target_groups::register(tg, arns, idx, model, lookup, &res.address)
            }
            ("aws_ecs_task_set", false, _) => task_sets::extract(res, idx, model),
            ("aws_ecs_cluster", false, _) => clusters::extract_cluster(res, idx, model, lookup),
            ("aws_ecs_capacity_provider", false, _) => {
                clusters::extract_capacity_provider(res, idx, model, lookup)
            }
            ("aws_autoscaling_group", false, _) => {
                autoscaling::extract_group(plan, res, idx, model, lookup)
            }
            ("aws_launch_template", false, _) => {
                autoscaling::extract_launch_template(plan, res, idx, model, lookup)
            }
            ("aws_launch_configuration", false, _) => {
                autoscaling::extract_launch_configuration(plan, res, idx, model, lookup)
            }
            ("aws_instance", false, _) => {
                autoscaling::extract_instance(plan, res, idx, model, lookup)
            }
            ("aws_subnet", _, _) => subnets::extract_subnet(plan, res, idx, model, lookup),
            ("aws_vpc", _, _) => subnets::extract_vpc(res, idx, model, lookup),
            ("aws_subnets", true, _) => subnets::extract_subnet_ids(res, idx, model),
            ("aws_vpc_endpoint", false, _) => subnets::extract_vpc_endpoint(res, idx, model),
            ("aws_ecs_account_setting_default", false, _) => account::extract(res, model),
            ("aws_service_discovery_service", false, _) => {
                discovery::extract(res, idx, model, lookup)
            }
            _ => {}
        }
    }
}

/// Resources per thread below which [`extract_plan`] decodes on one thread.
const PARALLEL_MIN: usize = 256;

/// An entity decoded ahead of being added to the model (the numerous kinds only), with
/// the known values of its ARN attributes for the lookup. Short-lived and moved into the
/// model right away, so the variants are not boxed (that would add an allocation each).
#[allow(clippy::large_enum_variant)]
enum Decoded {
    TaskDefinition(TaskDefinition, Vec<String>),
    Service(Service, Vec<String>),
    TargetGroup(TargetGroup, Vec<String>),
}

fn decode(plan: &Plan, res: &Resource, idx: PlanIndex) -> Option<Decoded> {
    match (res.type_.as_str(), res.mode == Mode::Data) {
        // A data source read while planning holds the registered definition, wholly known
        // (one read at apply is unknown: its reference stays unresolved).
        ("aws_ecs_task_definition", data) if !data || res.action == Action::DataRead => {
            Some(Decoded::TaskDefinition(
                task_definitions::decode(res, plan, idx),
                known_strings(res, task_definitions::ARN_ATTRS),
            ))
        }
        ("aws_ecs_service", false) => Some(Decoded::Service(
            services::decode(res, plan, idx),
            known_strings(res, services::ARN_ATTRS),
        )),
        // An existing target group read while planning (`data.aws_lb_target_group`) holds
        // its real target type and health check: as good as a managed one. One read at
        // apply is all unknown, and still an entity: a link the configuration hides may
        // name it, so it is one of the candidates (`one_of_candidates`), whose
        // unknown target type leaves the verdict open.
        ("aws_lb_target_group", _) | ("aws_alb_target_group", _) => Some(Decoded::TargetGroup(
            target_groups::decode(res, plan, idx),
            known_strings(res, target_groups::ARN_ATTRS),
        )),
        _ => None,
    }
}

/// The known, non-empty values of string attributes of a resource, in the order given.
fn known_strings(res: &Resource, attrs: &[&str]) -> Vec<String> {
    let v = res.values.root();
    attrs
        .iter()
        .filter_map(|a| key(&v.get(a).string()).map(str::to_string))
        .collect()
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

/// Whether the configuration writes a top-level argument or block (see [`written::written`]).
/// `false` only when the resource's configuration is in the plan and lacks it, or sets it to
/// null: the provider then plans an optional + computed attribute as unknown although
/// nothing sets it (`mixed_instances_policy`, a route table's `route`). Expressions inside
/// `dynamic` blocks are not in the plan's configuration, so a dynamically built block also
/// reads as absent here.
pub(crate) fn configured(plan: &Plan, res: &crate::plan::Resource, attr: &str) -> bool {
    written::written(plan, res, attr) != written::Written::Omitted
}

/// Known, non-empty value for matching (sensitive allowed: matching computes, never prints).
pub(crate) fn key(f: &Field<String>) -> Option<&str> {
    f.get().map(String::as_str).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Val;
    use serde_json::json;

    /// A plan with one service (`module` may be "") whose deployment settings are planned
    /// as unknown, configured with `expressions` (no configuration section when `None`).
    fn plan(module: &str, actions: &[&str], expressions: Option<serde_json::Value>) -> Plan {
        let prefix = if module.is_empty() {
            String::new()
        } else {
            format!("{module}.")
        };
        let mut change = json!({
            "address": format!("{prefix}aws_ecs_service.api"), "mode": "managed",
            "type": "aws_ecs_service", "name": "api",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": { "actions": actions, "before": null,
                "after": { "name": "api", "desired_count": 3 },
                "after_unknown": { "deployment_configuration": true,
                    "deployment_maximum_percent": true },
                "before_sensitive": false, "after_sensitive": {} }
        });
        if !module.is_empty() {
            change["module_address"] = json!(module);
        }
        let mut doc = json!({ "format_version": "1.2", "resource_changes": [change] });
        if let Some(mut e) = expressions {
            // Terraform writes every required argument (see `written::written`).
            e["name"] = json!({ "constant_value": "api" });
            let res = json!({ "address": "aws_ecs_service.api", "mode": "managed",
                "type": "aws_ecs_service", "name": "api", "expressions": e });
            doc["configuration"] = if module.is_empty() {
                json!({ "root_module": { "resources": [res] } })
            } else {
                // The module call's configuration is missing.
                json!({ "root_module": { "resources": [] } })
            };
        }
        crate::plan::parse_bytes(doc.to_string().as_bytes(), "p", &Default::default()).unwrap()
    }

    fn service(p: &Plan) -> Service {
        services::decode(&p.resources[0], p, 0)
    }

    #[test]
    fn unwritten_deployment_settings_take_the_ecs_defaults() {
        let p = plan(
            "",
            &["create"],
            Some(json!({ "desired_count": { "constant_value": 3 } })),
        );
        let s = service(&p);
        assert_eq!(s.deployment_strategy.val, Val::Null);
        assert_eq!(s.deployment_maximum_percent.val, Val::Null);
        assert!(s.deployment_unseen.is_none());
        // Written (from a value known after apply): really unknown.
        let p = plan(
            "",
            &["create"],
            Some(
                json!({ "deployment_maximum_percent": { "references": ["terraform_data.x.output"] } }),
            ),
        );
        let s = service(&p);
        assert_eq!(s.deployment_maximum_percent.val, Val::Unknown);
        assert_eq!(s.deployment_strategy.val, Val::Null);
    }

    #[test]
    fn unseen_configuration_leaves_them_unknown_and_says_why() {
        let s = service(&plan("", &["create"], None));
        assert_eq!(s.deployment_strategy.val, Val::Unknown);
        assert!(s
            .deployment_unseen
            .unwrap()
            .contains("no configuration section"));
        let s = service(&plan("module.app", &["create"], Some(json!({}))));
        assert_eq!(s.deployment_strategy.val, Val::Unknown);
        assert!(s
            .deployment_unseen
            .unwrap()
            .contains("does not include module.app"));
        // An update that makes an unwritten block unknown: a dynamic block.
        let s = service(&plan("", &["update"], Some(json!({}))));
        assert_eq!(s.deployment_strategy.val, Val::Unknown);
        assert!(s.deployment_unseen.unwrap().contains("dynamic block"));
    }
}
