//! EC2 capacity: `aws_autoscaling_group` (with `mixed_instances_policy`),
//! `aws_launch_template`, `aws_launch_configuration` and `aws_instance`. The group's
//! launch template / configuration links, subnets and instance types are resolved later
//! (`resolve::capacity`), because they depend on other entities.

use super::{key, opt_string, user_data};
use crate::model::resolve::{Kind, Lookup};
use crate::model::{
    AutoscalingGroup, Ec2Instance, Field, LaunchConfiguration, LaunchTemplate, Model, PlanIndex,
    Relaunch, Val,
};
use crate::plan::{Action, AttrRef, Plan, Resource};

/// What a change to the group does to its running instances.
///
/// Terraform AWS provider, `aws_autoscaling_group`, `instance_refresh` (the same text in
/// the Pulumi AWS docs generated from it, `GroupInstanceRefresh.triggers`): "A refresh will
/// always be triggered by a change in any of launch_configuration, launch_template, or
/// mixed_instances_policy", the `triggers` name further attributes, and "A refresh will not
/// start when version = "$Latest" is configured in the launch_template block" (the group
/// itself does not change when the template does). Without the block an update leaves the
/// running instances alone.
fn group_relaunch(res: &Resource) -> Relaunch {
    let v = res.values.root();
    let running = res.before.as_ref().map_or_else(
        || v.get("desired_capacity").int(),
        |b| b.root().get("desired_capacity").int(),
    );
    let kept = |why: String| Relaunch::Kept {
        why,
        running: running.clone(),
    };
    match res.action {
        Action::Create => Relaunch::All("created by this plan".into()),
        Action::Replace => Relaunch::All("replaced by this plan".into()),
        Action::Update => {
            let refresh = v.get("instance_refresh").items();
            let block = match &refresh.val {
                Val::Known(items) => items.first().copied(),
                Val::Null => None,
                Val::Unknown => {
                    return Relaunch::Unknown(format!(
                        "whether {} has an instance_refresh block (known after apply)",
                        res.address
                    ))
                }
            };
            let Some(block) = block else {
                return kept(
                    "updated in place without an instance_refresh block, which leaves its running instances".into(),
                );
            };
            let Some(before) = &res.before else {
                return Relaunch::Unknown(format!(
                    "what the update changes in {} (the plan has no prior values), which decides whether its instance_refresh starts",
                    res.address
                ));
            };
            // Attribute names with whether they may be printed (`triggers` may be sensitive).
            let mut attrs: Vec<(String, bool)> = [
                "launch_configuration",
                "launch_template",
                "mixed_instances_policy",
            ]
            .map(|a| (a.to_string(), true))
            .to_vec();
            let triggers = block.get("triggers").strings();
            match triggers.val {
                Val::Known(t) => attrs.extend(t.into_iter().map(|a| (a, !triggers.sensitive))),
                Val::Null => {}
                Val::Unknown => {
                    return Relaunch::Unknown(format!(
                        "instance_refresh[0].triggers of {} (known after apply)",
                        res.address
                    ))
                }
            }
            let words = |names: Vec<&(String, bool)>| {
                let mut shown: Vec<&str> = names
                    .iter()
                    .filter(|(_, show)| *show)
                    .map(|(a, _)| a.as_str())
                    .collect();
                if names.iter().any(|(_, show)| !show) {
                    shown.push("an attribute its triggers name (sensitive)");
                }
                shown.join(", ")
            };
            let changed: Vec<&(String, bool)> = attrs
                .iter()
                .filter(|(a, _)| differs(before.root().get(a), v.get(a)))
                .collect();
            if changed.is_empty() {
                kept(format!(
                    "updated without a change to {} that would start its instance_refresh",
                    words(attrs.iter().collect())
                ))
            } else {
                Relaunch::All(format!(
                    "its instance_refresh replaces them: this plan changes its {}",
                    words(changed)
                ))
            }
        }
        _ => kept("unchanged by this plan".into()),
    }
}

/// An attribute's planned value differs from its prior one (or is known only after apply).
fn differs(before: AttrRef<'_>, after: AttrRef<'_>) -> bool {
    after.contains_unknown() || before.raw().get() != after.raw().get()
}

pub(super) fn extract_group<'p>(
    p: &Plan,
    res: &'p Resource,
    plan: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
) {
    let v = res.values.root();
    let mip = v.get("mixed_instances_policy").items();
    // Unknown but not configured: the provider computes the attribute; no policy is set.
    let uses_mip = matches!(&mip.val, Val::Known(items) if !items.is_empty())
        || (mip.is_unknown() && super::configured(p, res, "mixed_instances_policy"));
    let uses_requirements = match &mip.val {
        Val::Known(items) => items.iter().any(|p| {
            match p.path("launch_template.0.override").items().val {
                Val::Known(ovs) => ovs.iter().any(|o| {
                    matches!(o.get("instance_requirements").items().val, Val::Known(r) if !r.is_empty())
                }),
                _ => false,
            }
        }),
        _ => false,
    };
    let asg = AutoscalingGroup {
        address: res.address.clone(),
        plan,
        name: v.get("name").string(),
        min_size: v.get("min_size").int(),
        max_size: v.get("max_size").int(),
        desired_capacity: v.get("desired_capacity").int(),
        instance_types: Field::unknown(),
        launch_template: None,
        launch_configuration: None,
        subnets: Field::null(),
        availability_zones: v.get("availability_zones").strings(),
        ecs_cluster_from_user_data: None,
        reserved_ports_from_user_data: None,
        uses_mixed_instances_policy: uses_mip,
        instance_type_candidates: None,
        uses_instance_requirements: uses_requirements,
        relaunch: group_relaunch(res),
    };
    let pos = model.autoscaling_groups.len();
    lookup.add(plan, res, Kind::AutoscalingGroup, pos);
    if let Some(n) = key(&asg.name) {
        lookup.asg_name.insert(n, plan, pos);
    }
    for attr in ["arn", "id"] {
        if let Some(a) = key(&v.get(attr).string()) {
            // The provider's `id` of a group is its name.
            if attr == "id" {
                lookup.asg_name.insert(a, plan, pos);
            } else {
                lookup.asg_arn.insert(a, plan, pos);
            }
        }
    }
    model.autoscaling_groups.push(asg);
}

pub(super) fn extract_launch_template<'p>(
    p: &Plan,
    res: &'p Resource,
    plan: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
) {
    let v = res.values.root();
    let lt = LaunchTemplate {
        address: res.address.clone(),
        plan,
        name: v.get("name").string(),
        instance_type: opt_string(v.get("instance_type")),
        ecs_cluster_from_user_data: user_data::cluster_of(p, res, &["user_data"]),
        reserved_ports_from_user_data: user_data::reserved_ports_of(p, res, &["user_data"]),
        resource_name_dns_a_record: v
            .path("private_dns_name_options.0.enable_resource_name_dns_a_record")
            .bool(),
    };
    let pos = model.launch_templates.len();
    lookup.add(plan, res, Kind::LaunchTemplate, pos);
    if let Some(n) = key(&lt.name) {
        lookup.lt_name.insert(n, plan, pos);
    }
    for attr in ["id", "arn"] {
        if let Some(i) = key(&v.get(attr).string()) {
            lookup.lt_id.insert(i, plan, pos);
        }
    }
    model.launch_templates.push(lt);
}

pub(super) fn extract_launch_configuration<'p>(
    p: &Plan,
    res: &'p Resource,
    plan: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
) {
    let v = res.values.root();
    let lc = LaunchConfiguration {
        address: res.address.clone(),
        plan,
        name: v.get("name").string(),
        instance_type: opt_string(v.get("instance_type")),
        ecs_cluster_from_user_data: user_data::cluster_of(
            p,
            res,
            &["user_data", "user_data_base64"],
        ),
        reserved_ports_from_user_data: user_data::reserved_ports_of(
            p,
            res,
            &["user_data", "user_data_base64"],
        ),
    };
    let pos = model.launch_configurations.len();
    lookup.add(plan, res, Kind::LaunchConfiguration, pos);
    if let Some(n) = key(&lc.name) {
        lookup.lc_name.insert(n, plan, pos);
    }
    if let Some(i) = key(&v.get("id").string()) {
        lookup.lc_name.insert(i, plan, pos);
    }
    model.launch_configurations.push(lc);
}

pub(super) fn extract_instance<'p>(
    p: &Plan,
    res: &'p Resource,
    plan: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
) {
    let v = res.values.root();
    let inst = Ec2Instance {
        address: res.address.clone(),
        plan,
        instance_type: opt_string(v.get("instance_type")),
        subnet: None,
        availability_zone: opt_string(v.get("availability_zone")),
        ecs_cluster_from_user_data: user_data::cluster_of(
            p,
            res,
            &["user_data", "user_data_base64"],
        ),
        reserved_ports_from_user_data: user_data::reserved_ports_of(
            p,
            res,
            &["user_data", "user_data_base64"],
        ),
        relaunch: match res.action {
            Action::Create => Relaunch::All("created by this plan".into()),
            Action::Replace => Relaunch::All("replaced by this plan".into()),
            _ => Relaunch::Kept {
                why: "kept by this plan".into(),
                running: Field::known(1),
            },
        },
    };
    let pos = model.instances.len();
    lookup.add(plan, res, Kind::Instance, pos);
    model.instances.push(inst);
}

#[cfg(test)]
mod tests {
    use crate::config::Assumptions;
    use crate::model::{build, Field, Model, Relaunch};
    use crate::plan::{self, LoadOptions};
    use serde_json::{json, Value};

    fn scenario(path: &str) -> Model {
        let path = format!(
            "{}/../testdata/scenarios/capacity/{path}",
            env!("CARGO_MANIFEST_DIR")
        );
        let p = plan::load(&path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
        build(&[p], &Assumptions::default())
    }

    /// A plan with one group changed by `actions` from `before` to `after`.
    fn group(actions: &[&str], before: Value, after: Value, unknown: Value) -> Model {
        let doc = json!({
            "format_version": "1.2",
            "resource_changes": [{
                "address": "aws_autoscaling_group.ecs", "mode": "managed",
                "type": "aws_autoscaling_group", "name": "ecs",
                "change": { "actions": actions, "before": before, "after": after,
                    "after_unknown": unknown, "before_sensitive": {}, "after_sensitive": {} }
            }]
        });
        let p =
            plan::parse_bytes(doc.to_string().as_bytes(), "t", &LoadOptions::default()).unwrap();
        build(&[p], &Assumptions::default())
    }

    fn lt(version: &str) -> Value {
        json!([{ "id": "lt-1", "name": "", "version": version }])
    }

    #[test]
    fn real_plans_tell_kept_from_refreshed_instances() {
        let m = scenario("trunking-enabled-no-refresh/update/plan.json");
        assert_eq!(
            m.autoscaling_groups[0].relaunch,
            Relaunch::Kept {
                why: "unchanged by this plan".into(),
                running: Field::known(3)
            }
        );
        assert_eq!(
            m.account_settings.awsvpc_trunking_before,
            Field::known(false)
        );
        assert_eq!(m.account_settings.awsvpc_trunking, Field::known(true));
        let m = scenario("trunking-enabled-no-refresh/plan.json");
        assert!(
            matches!(&m.autoscaling_groups[0].relaunch, Relaunch::All(w) if w == "created by this plan")
        );
        // Created by the plan: what the account had is not in it.
        assert_eq!(m.account_settings.awsvpc_trunking_before, Field::unknown());
        let m = scenario("trunking-enabled-with-refresh/update/plan.json");
        assert!(
            matches!(&m.autoscaling_groups[0].relaunch, Relaunch::All(w) if w.ends_with("changes its launch_template")),
            "{:?}",
            m.autoscaling_groups[0].relaunch
        );
    }

    #[test]
    fn an_update_replaces_instances_only_through_a_triggered_refresh() {
        let refresh = json!([{ "strategy": "Rolling", "triggers": ["tag"] }]);
        let before = json!({ "desired_capacity": 2, "launch_template": lt("1"),
            "instance_refresh": refresh, "tag": [] });
        // No instance_refresh block: a new template version leaves the instances.
        let m = group(
            &["update"],
            before.clone(),
            json!({ "desired_capacity": 2, "launch_template": lt("2"), "instance_refresh": [] }),
            json!({}),
        );
        assert!(matches!(&m.autoscaling_groups[0].relaunch,
            Relaunch::Kept { why, running } if why.contains("without an instance_refresh") && running == &Field::known(2)));
        // With the block: a version known only after apply starts it.
        let m = group(
            &["update"],
            before.clone(),
            json!({ "desired_capacity": 2, "launch_template": [{ "id": "lt-1", "name": "" }],
                "instance_refresh": refresh, "tag": [] }),
            json!({ "launch_template": [{ "version": true }] }),
        );
        assert!(
            matches!(&m.autoscaling_groups[0].relaunch, Relaunch::All(w) if w.contains("launch_template"))
        );
        // A change to an attribute `triggers` names starts it too; another change does not.
        let m = group(
            &["update"],
            before.clone(),
            json!({ "desired_capacity": 2, "launch_template": lt("1"), "instance_refresh": refresh,
                "tag": [{ "key": "a", "value": "b", "propagate_at_launch": true }] }),
            json!({}),
        );
        assert!(
            matches!(&m.autoscaling_groups[0].relaunch, Relaunch::All(w) if w.ends_with("its tag"))
        );
        let m = group(
            &["update"],
            before.clone(),
            json!({ "desired_capacity": 4, "launch_template": lt("1"), "instance_refresh": refresh, "tag": [] }),
            json!({}),
        );
        // Running: what the prior state says (2), not the planned 4.
        assert!(matches!(&m.autoscaling_groups[0].relaunch,
            Relaunch::Kept { running, .. } if running == &Field::known(2)));
        // An instance_refresh block known only after apply: cannot tell.
        let m = group(
            &["update"],
            before,
            json!({ "desired_capacity": 2, "launch_template": lt("1") }),
            json!({ "instance_refresh": true }),
        );
        assert!(
            matches!(&m.autoscaling_groups[0].relaunch, Relaunch::Unknown(w) if w.contains("instance_refresh"))
        );
        // Replaced: every instance is new.
        let m = group(
            &["delete", "create"],
            json!({ "desired_capacity": 2 }),
            json!({ "desired_capacity": 2 }),
            json!({}),
        );
        assert!(
            matches!(&m.autoscaling_groups[0].relaunch, Relaunch::All(w) if w == "replaced by this plan")
        );
    }
}
