//! `aws_ecs_service`: the service's own settings. Its links (task definition, cluster,
//! subnets, target groups, registries, capacity providers) and `launch` are filled in by
//! `resolve::services`.

use super::written::{Writes, Written};
use super::{first_block, opt_string};
use crate::model::{DeploymentController, Field, Link, PlanIndex, Service, ServiceConnect, Val};
use crate::plan::{AttrRef, Plan, Resource};

/// A service as read from its resource, not yet in the model (links unresolved).
pub(super) fn decode(res: &Resource, source: &Plan, plan: PlanIndex) -> Service {
    let v = res.values.root();
    let w = Writes::new(source, res);
    let iam_role = opt_string(v.get("iam_role"));
    let iam_role_written = match w.get("iam_role") {
        // An expression the plan cannot evaluate that the sources show is a role's ARN.
        Written::Unclear if source.source_sets(res, "iam_role") => Written::Set,
        w => w,
    };
    let mut unseen = None;
    // Deployment settings the plan leaves unknown but the configuration does not write
    // take ECS's defaults (provider 6.x plans an omitted deployment_configuration as
    // unknown): Null, which the capacity analysis reads as the default.
    let deployment_maximum_percent = default_when_unwritten(
        &w,
        v.get("deployment_maximum_percent").int(),
        "deployment_maximum_percent",
        &mut unseen,
    );
    let deployment_minimum_healthy_percent = default_when_unwritten(
        &w,
        v.get("deployment_minimum_healthy_percent").int(),
        "deployment_minimum_healthy_percent",
        &mut unseen,
    );
    let deployment_strategy = default_when_unwritten(
        &w,
        // Blocks read once are not kept (see `AttrRef::with_member`).
        v.with_member("deployment_configuration", |b| block_string(b, "strategy")),
        "deployment_configuration.0.strategy",
        &mut unseen,
    );
    let deployment_controller = default_when_unwritten(
        &w,
        v.with_member("deployment_controller", deployment_controller),
        "deployment_controller.0.type",
        &mut unseen,
    );
    Service {
        address: res.address.clone(),
        plan,
        name: v.get("name").string(),
        task_definition: Link::unresolved(),
        cluster: Link::unresolved(),
        launch_type: unless_omitted(&w, "launch_type"),
        capacity_provider_strategy: Field::null(),
        scheduling_strategy: opt_string(v.get("scheduling_strategy")),
        desired_count: v.get("desired_count").int(),
        deployment_maximum_percent,
        deployment_minimum_healthy_percent,
        deployment_controller,
        deployment_strategy,
        deployment_unseen: unseen,
        network_configuration: Field::null(),
        load_balancers: Field::null(),
        service_registries: Field::null(),
        service_connect: v.with_member("service_connect_configuration", service_connect),
        iam_role_configured: role_configured(&iam_role, iam_role_written),
        iam_role_traced: !source.source_references(res, "iam_role").is_empty(),
        iam_role,
        platform_version: unless_omitted(&w, "platform_version"),
        placement_strategies: v.with_member("ordered_placement_strategy", |a| {
            a.items().map(|items| {
                items
                    .into_iter()
                    .map(|i| i.get("type").string().get().cloned().unwrap_or_default())
                    .collect()
            })
        }),
        member_of: v.with_member("placement_constraints", member_of),
        launch: Field::unknown(),
    }
}

/// The known expressions of `memberOf` placement constraints (sensitive ones left out).
fn member_of(a: AttrRef<'_>) -> Vec<String> {
    let Some(items) = a.items().get().cloned() else {
        return Vec::new();
    };
    items
        .into_iter()
        .filter(|i| {
            i.get("type")
                .string()
                .get()
                .is_some_and(|t| t == "memberOf")
        })
        .filter_map(|i| {
            let e = i.get("expression").string();
            e.get().filter(|_| !e.sensitive).cloned()
        })
        .collect()
}

/// An optional + computed string argument as the configuration sets it: Null when the
/// configuration leaves it out, whatever the provider reported back for an existing service
/// (`launch_type` `""` or `EC2`, `platform_version` `LATEST`).
fn unless_omitted(w: &Writes<'_>, attr: &str) -> Field<String> {
    match w.get(attr) {
        Written::Omitted => Field::null(),
        _ => opt_string(w.res.values.root().get(attr)),
    }
}

/// Whether the configuration sets `iam_role`. After apply the provider stores the role ECS
/// reports, which for a service created without one is the ECS service-linked role; so when
/// the configuration cannot say, a known role counts as set only when it is not that one.
fn role_configured(role: &Field<String>, w: Written) -> Field<bool> {
    match (w, &role.val) {
        (Written::Set, _) => Field::known(true),
        (Written::Omitted, _) | (_, Val::Null) => Field::known(false),
        (_, Val::Known(r)) => Field::known(!is_service_linked_role(r)),
        (_, Val::Unknown) => Field::unknown(),
    }
}

/// The ECS service-linked role as the AWS provider stores what DescribeServices reports:
/// `aws-service-role` (provider 2.x and 3.x), `/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`
/// (later versions: the role name with its path), or the full ARN.
pub(crate) fn is_service_linked_role(role: &str) -> bool {
    role == "aws-service-role"
        || role.contains("aws-service-role/ecs.amazonaws.com/")
        || role.ends_with("/AWSServiceRoleForECS")
}

/// `f` as planned, or Null (the default) when it is unknown and the configuration does not
/// write `path`; `unseen` keeps why the configuration cannot tell, when it cannot.
pub(super) fn default_when_unwritten<T>(
    w: &Writes<'_>,
    f: Field<T>,
    path: &str,
    unseen: &mut Option<String>,
) -> Field<T> {
    if !f.is_unknown() {
        return f;
    }
    // A block the configuration leaves out entirely leaves out all that is in it (a
    // `dynamic` block is also absent from the plan's configuration: see below).
    let (p, res) = (w.plan, w.res);
    let top = path.split('.').next().unwrap_or(path);
    let w = match w.get(top) {
        Written::Omitted => Written::Omitted,
        _ => w.get(path),
    };
    match w {
        Written::Set | Written::Unclear => f,
        // Nothing written, yet unknown in an update: an omitted Optional+Computed value keeps
        // what the state holds, so something the configuration does not show sets it.
        // The Terraform sources write it (a `dynamic` block) from a value known only after
        // apply: a real unknown, no default.
        Written::Omitted
            if !p.source_references(res, path).is_empty()
                || !p.source_references(res, top).is_empty() =>
        {
            f
        }
        Written::Omitted
            if matches!(
                res.action,
                crate::plan::Action::Update | crate::plan::Action::NoOp
            ) =>
        {
            unseen.get_or_insert(format!(
                "{top} changes in this update plan although the configuration of {} does not write it (a dynamic block, which terraform show -json leaves out of the configuration)",
                res.base_address()
            ));
            f
        }
        Written::Omitted => Field::null().with_sensitive(f.sensitive),
        Written::Unseen => {
            unseen.get_or_insert(if p.config.present {
                format!(
                    "the plan's configuration does not include {}",
                    if res.module_address.is_empty() {
                        res.base_address()
                    } else {
                        res.module_address.clone()
                    }
                )
            } else {
                "the plan has no configuration section".to_string()
            });
            f
        }
    }
}

/// The attributes holding a service's ARN (the provider's `id` of a service is its ARN).
pub(super) const ARN_ATTRS: &[&str; 2] = &["id", "arn"];

/// `deployment_controller[0].type`; an absent block means the ECS controller, which we
/// leave as Null so that "not set" stays visible.
fn deployment_controller(a: AttrRef<'_>) -> Field<DeploymentController> {
    let f = block_string(a, "type");
    let sensitive = f.sensitive;
    match f.val {
        Val::Known(t) => match t.to_ascii_uppercase().as_str() {
            "ECS" => Field::known(DeploymentController::Ecs),
            "CODE_DEPLOY" => Field::known(DeploymentController::CodeDeploy),
            "EXTERNAL" => Field::known(DeploymentController::External),
            _ => Field::null(),
        },
        Val::Null => Field::null(),
        Val::Unknown => Field::unknown(),
    }
    .with_sensitive(sensitive)
}

/// A string inside the first element of a nested block (Null when the block is absent).
pub(crate) fn block_string(a: AttrRef<'_>, attr: &str) -> Field<String> {
    let b = first_block(a);
    let sensitive = b.sensitive;
    match b.val {
        Val::Known(Some(item)) => opt_string(item.get(attr)),
        Val::Known(None) | Val::Null => Field::null(),
        Val::Unknown => Field::unknown(),
    }
    .with_sensitive(sensitive)
}

fn service_connect(a: AttrRef<'_>) -> Field<Option<ServiceConnect>> {
    let b = first_block(a);
    let sensitive = b.sensitive;
    match b.val {
        Val::Known(Some(sc)) => {
            let port_names = match sc.get("service").items().val {
                Val::Known(items) => items
                    .iter()
                    .map(|s| opt_string(s.get("port_name")))
                    .collect(),
                _ => vec![],
            };
            Field::known(Some(ServiceConnect {
                enabled: sc.get("enabled").bool(),
                port_names,
            }))
        }
        Val::Known(None) | Val::Null => Field::known(None),
        Val::Unknown => Field::unknown(),
    }
    .with_sensitive(sensitive)
}
