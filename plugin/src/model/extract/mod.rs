//! Plan resources → model entities, one file per entity family.
//!
//! Extraction only decodes each resource's own values. Links between entities start out
//! as `Link::unresolved()` and are filled in by [`crate::model::resolve`], which needs every
//! entity of every plan first. While extracting, each entity's identifying values (ARN, id,
//! name, family) are recorded in the [`Lookup`] so that resolution never scans.

use std::borrow::Cow;

use crate::model::resolve::{Kind, Lookup};
use crate::model::{Field, Model, PlanIndex, Val};
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

/// What the model reads of a container definition (see the source overlay).
pub(crate) use containers::{
    READ_MEMBERS as CONTAINER_READ_MEMBERS, READ_WITHIN as CONTAINER_READ_WITHIN,
};

#[cfg(test)]
pub(crate) use containers::seen as container_seen;
#[cfg(test)]
pub(crate) use services::is_service_linked_role;
#[cfg(test)]
pub(crate) use task_definitions::decode_containers;

/// Extract every ECS-related resource of one plan into `model`.
pub(crate) fn extract_plan<'p>(
    plan: &'p Plan,
    idx: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
) {
    // On a large plan, most of the extraction time is reading the values of its thousands
    // of task definitions, services and target groups. That only reads the plan, so it is
    // done first, each kind spread over the cores straight into the entities; then every
    // entity is added to the model and the lookup in plan order, as if extracted one by one.
    let mut numerous: [Vec<&'p Resource>; 3] = Default::default();
    // Every resource of the numerous kinds, in plan order, with its kind.
    let mut all: Vec<(&'p Resource, Numerous)> = Vec::new();
    for res in &plan.resources {
        if let Some(n) = numerous_kind(res) {
            numerous[n as usize].push(res);
            all.push((res, n));
        }
    }
    let [tds, services, tgs] = &numerous;
    // Each kind is decoded straight into its vector of entities, which becomes the model's
    // (its memory is written once); the lookup keys are read apart, in plan order.
    let tds = crate::par::map(tds, PARALLEL_MIN, |res| {
        task_definitions::decode(res, plan, idx)
    });
    let services = crate::par::map(services, PARALLEL_MIN, |res| {
        services::decode(res, plan, idx)
    });
    let tgs = crate::par::map(tgs, PARALLEL_MIN, |res| {
        target_groups::decode(res, plan, idx)
    });
    let keys = crate::par::map(&all, PARALLEL_MIN, |&(res, n)| match n {
        Numerous::TaskDefinition => Keys::of(res, "family", task_definitions::ARN_ATTRS),
        Numerous::Service => Keys::of(res, "name", services::ARN_ATTRS),
        Numerous::TargetGroup => Keys::of(res, "name", target_groups::ARN_ATTRS),
    });
    lookup.reserve(idx, all.len());
    lookup.td_family.reserve(tds.len());
    lookup.td_arn.reserve(tds.len());
    lookup.service_name.reserve(services.len());
    lookup.service_arn.reserve(services.len());
    lookup.tg_name.reserve(tgs.len());
    lookup.tg_arn.reserve(tgs.len());
    let first = [
        model.task_definitions.len(),
        model.services.len(),
        model.target_groups.len(),
    ];
    append(&mut model.task_definitions, tds);
    append(&mut model.services, services);
    append(&mut model.target_groups, tgs);
    let mut next = first;
    let mut keys = keys.into_iter();
    for res in &plan.resources {
        if let Some(n) = numerous_kind(res) {
            let pos = next[n as usize];
            next[n as usize] += 1;
            let keys = keys.next().unwrap_or_default();
            keys.register(lookup, idx, res, pos, n);
            continue;
        }
        let data = res.mode == Mode::Data;
        match (res.type_.as_str(), data) {
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
            ("aws_subnet", _) => subnets::extract_subnet(plan, res, idx, model, lookup),
            ("aws_vpc", _) => subnets::extract_vpc(res, idx, model, lookup),
            ("aws_subnets", true) => subnets::extract_subnet_ids(res, idx, model),
            ("aws_vpc_endpoint", false) => subnets::extract_vpc_endpoint(res, idx, model),
            ("aws_ecs_account_setting_default", false) => account::extract(res, model),
            ("aws_service_discovery_service", false) => discovery::extract(res, idx, model, lookup),
            _ => {}
        }
    }
}

/// Move `items` to the end of `to` (taken over whole when `to` is empty).
fn append<T>(to: &mut Vec<T>, mut items: Vec<T>) {
    if to.is_empty() {
        *to = items;
    } else {
        to.append(&mut items);
    }
}

/// Entities of one kind per thread below which [`extract_plan`] decodes them on one thread.
/// A few dozen task definitions are already a millisecond of work, much more than handing
/// half of them to the pool's waiting thread costs (the model is built on the critical path
/// of a check: the other core would otherwise be idle).
const PARALLEL_MIN: usize = 48;

/// The numerous kinds of entity, decoded ahead of being added to the model.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Numerous {
    TaskDefinition,
    Service,
    TargetGroup,
}

fn numerous_kind(res: &Resource) -> Option<Numerous> {
    match (res.type_.as_str(), res.mode == Mode::Data) {
        // A data source read while planning holds the registered definition, wholly known
        // (one read at apply is unknown: its reference stays unresolved).
        ("aws_ecs_task_definition", data) if !data || res.action == Action::DataRead => {
            Some(Numerous::TaskDefinition)
        }
        ("aws_ecs_service", false) => Some(Numerous::Service),
        // An existing target group read while planning (`data.aws_lb_target_group`) holds
        // its real target type and health check: as good as a managed one. One read at
        // apply is all unknown, and still an entity: a link the configuration hides may
        // name it, so it is one of the candidates (`one_of_candidates`), whose
        // unknown target type leaves the verdict open.
        ("aws_lb_target_group", _) | ("aws_alb_target_group", _) => Some(Numerous::TargetGroup),
        _ => None,
    }
}

/// The lookup keys of a decoded entity: the known, non-empty value of its name
/// attribute, and those of its ARN attributes in the order given.
#[derive(Default)]
struct Keys<'p> {
    name: Option<Cow<'p, str>>,
    arns: [Option<Cow<'p, str>>; 2],
}

impl<'p> Keys<'p> {
    fn of(res: &'p Resource, name: &str, arns: &[&str; 2]) -> Self {
        let v = res.values.root();
        Keys {
            name: key_of(v.get(name)),
            arns: arns.map(|a| key_of(v.get(a))),
        }
    }

    /// Add the entity at `pos` of `kind` to the lookup: its address and its keys.
    fn register(
        self,
        lookup: &mut Lookup<'p>,
        plan: PlanIndex,
        res: &'p Resource,
        pos: usize,
        kind: Numerous,
    ) {
        let entity = match kind {
            Numerous::TaskDefinition => Kind::TaskDefinition,
            Numerous::Service => Kind::Service,
            Numerous::TargetGroup => Kind::TargetGroup,
        };
        lookup.add(plan, res, entity, pos);
        let (names, arns) = match kind {
            Numerous::TaskDefinition => (&mut lookup.td_family, &mut lookup.td_arn),
            Numerous::Service => (&mut lookup.service_name, &mut lookup.service_arn),
            Numerous::TargetGroup => (&mut lookup.tg_name, &mut lookup.tg_arn),
        };
        if let Some(n) = self.name {
            names.insert_cow(n, plan, pos);
        }
        for a in self.arns.into_iter().flatten() {
            arns.insert_cow(a, plan, pos);
        }
    }
}

/// [`key`] of an attribute's [`AttrRef::string`], borrowed from the plan when it is a
/// string there.
pub(crate) fn key_of(a: AttrRef<'_>) -> Option<Cow<'_, str>> {
    match a.raw().val {
        Val::Known(serde_json::Value::String(s)) => (!s.is_empty()).then_some(Cow::Borrowed(s)),
        Val::Known(_) => key(&a.string()).map(|s| Cow::Owned(s.to_string())),
        Val::Null | Val::Unknown => None,
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
    use crate::model::{Service, Val};
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
    fn keys_borrow_strings_and_copy_other_scalars() {
        let a = crate::plan::Attrs::new(
            json!({"s": "arn:x", "n": 12, "e": "", "z": null}),
            json!({"u": true}),
            json!({"s": true}),
        );
        let v = a.root();
        // Sensitive values are matched too (never printed from here).
        assert!(matches!(key_of(v.get("s")), Some(Cow::Borrowed("arn:x"))));
        assert_eq!(key_of(v.get("n")).as_deref(), Some("12"));
        for absent in ["e", "z", "u", "missing"] {
            assert_eq!(key_of(v.get(absent)), None, "{absent}");
        }
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
