//! Blocks shared by services and task sets whose parts link to other entities:
//! `network_configuration`, `load_balancer`, `service_registries` and
//! `capacity_provider_strategy`.

use super::links::{match_in, Cx};
use super::lookup::Kind;
use crate::model::extract::{first_block, opt_nonzero, opt_string};
use crate::model::{
    AwsvpcConfiguration, CapacityProviderStrategyItem, Field, Link, LoadBalancer, ServiceRegistry,
    Val,
};
use crate::plan::{AttrRef, Resource};

/// `network_configuration`: `Known(None)` when the block is absent.
pub(crate) fn awsvpc_configuration(
    cx: &Cx<'_>,
    res: &Resource,
) -> Field<Option<AwsvpcConfiguration>> {
    // Read once: the block's tree is not kept (see `AttrRef::with_member`).
    res.values
        .root()
        .with_member("network_configuration", |a| network_block(cx, res, a))
}

fn network_block(
    cx: &Cx<'_>,
    res: &Resource,
    a: AttrRef<'_>,
) -> Field<Option<AwsvpcConfiguration>> {
    let block = first_block(a);
    let sensitive = block.sensitive;
    match block.val {
        Val::Known(Some(nc)) => {
            let security_groups = security_groups(cx, res, nc.get("security_groups"));
            let sg_path = "network_configuration.0.security_groups";
            let mut security_groups_hidden = None;
            let security_groups_at_most = match security_groups.val {
                Val::Unknown => cx
                    .plan
                    .element_bound(res, sg_path, SECURITY_GROUP_TYPES)
                    .or_else(|| {
                        if !cx.hidden(res, sg_path) {
                            return None;
                        }
                        // With the sources, what they leave unknown is known only after
                        // apply: the note is theirs, not a hidden link's.
                        let plan_alone = !cx.plan.has_source_overlay();
                        match hidden_groups_at_most(cx.plan, &res.module_address) {
                            Ok(n) => {
                                security_groups_hidden = plan_alone.then(|| format!(
                                    "it holds some of the {n} security groups its module declares or its module inputs name, and all {n} are more than ECS allows"
                                ));
                                Some(n)
                            }
                            Err(why) => {
                                security_groups_hidden = plan_alone.then_some(why);
                                None
                            }
                        }
                    }),
                _ => None,
            };
            let path = "network_configuration.0.subnets";
            let subnets = cx.subnet_links(res, path, nc.get("subnets").strings());
            // Hidden among several groups of subnets: every subnet that can be meant.
            let subnet_candidates = match subnets.val {
                Val::Unknown => cx.one_of(res, path, Kind::Subnet),
                _ => None,
            };
            Field::known(Some(AwsvpcConfiguration {
                subnets,
                subnet_candidates,
                security_groups,
                security_groups_at_most,
                security_groups_hidden,
                assign_public_ip: nc.get("assign_public_ip").bool(),
            }))
        }
        Val::Known(None) | Val::Null => Field::known(None),
        Val::Unknown => Field::unknown(),
    }
    .with_sensitive(sensitive)
}

/// The resource types whose `id` is a security group id.
const SECURITY_GROUP_TYPES: &[&str] = &["aws_security_group", "aws_default_security_group"];

/// Security group ids in a JSON value (`sg-...` strings), which a hidden list may hold.
fn holds_group_ids(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.starts_with("sg-"),
        serde_json::Value::Array(a) => a.iter().any(holds_group_ids),
        serde_json::Value::Object(o) => o.values().any(holds_group_ids),
        _ => false,
    }
}

/// A resource type whose every instance is one security group (`aws_security_group`, managed
/// or read, and `aws_default_security_group`), unlike `data "aws_security_groups"`.
fn one_group(ty: &str) -> bool {
    SECURITY_GROUP_TYPES.contains(&ty)
}

/// `(data source, type)` of a resource address (`module.a.data.aws_security_group.x["k"]`).
fn target_type(address: &str) -> (bool, &str) {
    // Without the instance key (`["k"]`, `[0]`) at the end; keys before it do not matter.
    let base = match (address.ends_with(']'), address.rfind('[')) {
        (true, Some(i)) => &address[..i],
        _ => address,
    };
    let parts: Vec<&str> = base.split('.').collect();
    let n = parts.len();
    let ty = if n >= 2 { parts[n - 2] } else { "" };
    (n >= 3 && parts[n - 3] == "data", ty)
}

/// At most how many groups a security group list the configuration hides (a `dynamic
/// "network_configuration"` block, a local) can hold, from the plan alone: the instances of
/// the security groups declared in the service's module instance and of those its module
/// inputs name, the only candidates, when nothing else can feed the list. `Err` says what
/// else can (and so keeps the note): a security group data source in the module, a nested
/// module (a local may name its groups), or a module input that may carry other group ids
/// (a data source's, `sg-` strings, or values ecsnet cannot see: a local, a variable of the
/// caller's caller, a remote state). Like a subnet list hidden among candidates, a literal id written
/// in a local is not in the plan and cannot be counted.
fn hidden_groups_at_most(plan: &crate::plan::Plan, module: &str) -> Result<usize, String> {
    let place = if module.is_empty() {
        "the root module".to_string()
    } else {
        module.to_string()
    };
    let cfg = plan
        .module_config(module)
        .ok_or_else(|| format!("the configuration of {place} is not in the plan"))?;
    if let Some(call) = cfg.module_calls.keys().next() {
        return Err(format!(
            "{place} calls module {call}, whose security groups a local may name"
        ));
    }
    let mut n = 0usize;
    for rel in cfg.resources.keys() {
        match target_type(rel) {
            // `data "aws_security_group"` is one group per instance, like a managed one.
            (false, ty) | (true, ty) if one_group(ty) => {
                let base = crate::plan::address::join(module, rel);
                n += plan.keyed_instance_count(&base).unwrap_or(1);
            }
            (true, ty) if ty.contains("security_group") => {
                return Err(format!(
                    "{place} reads security groups with {rel}, which may hold any number"
                ))
            }
            _ => {}
        }
    }
    let carries = |name: &str, why: String| Err(format!("input {name} of {place} {why}"));
    if module.is_empty() {
        for (name, v) in &plan.variables {
            if holds_group_ids(&v.value) {
                return carries(&format!("var.{name}"), "holds security group ids".into());
            }
        }
        return Ok(n);
    }
    // `module.a["x"].module.b` → `module.a["x"]`; a root-level module → "".
    let parent = module.rfind(".module.").map_or("", |i| &module[..i]);
    let Some(call) = crate::plan::address::module_path(module).and_then(|mut p| p.pop()) else {
        return Ok(n);
    };
    let Some(mc) = plan
        .module_config(parent)
        .and_then(|c| c.module_calls.get(&call.0))
    else {
        return Err(format!("the call of {place} is not in the plan"));
    };
    let targets: std::collections::HashMap<String, Vec<crate::plan::RefTarget>> =
        plan.module_inputs(module).into_iter().collect();
    let mut named = std::collections::HashSet::new();
    for (name, expr) in &mc.expressions {
        if expr.constant_value.as_ref().is_some_and(holds_group_ids) {
            return carries(name, "holds security group ids".into());
        }
        for t in targets.get(name).into_iter().flatten() {
            match target_type(&t.address) {
                // A managed group the input names is one more candidate: one instance, or
                // every instance when the reference names no single one.
                (_, ty) if one_group(ty) && named.insert(&*t.address) => {
                    n += if t.address.ends_with(']') {
                        1
                    } else {
                        plan.keyed_instance_count(&t.address).unwrap_or(1)
                    };
                }
                (_, ty) if one_group(ty) => {}
                (_, ty) if ty.contains("security_group") || ty.contains("remote_state") => {
                    return carries(name, format!("passes {}", t.address));
                }
                _ => {}
            }
        }
        for r in &expr.references {
            let root_value = r
                .strip_prefix("var.")
                .filter(|_| parent.is_empty())
                .map(|v| v.split(['.', '[']).next().unwrap_or(v))
                .map(|v| plan.variables.get(v).map(|x| &x.value));
            // A module output or data source the references lead nowhere from (a literal
            // list in an output, a remote state) is as unseen as a local.
            let followed = targets.get(name).is_some_and(|t| !t.is_empty());
            let unseen = match root_value {
                Some(Some(v)) => holds_group_ids(v),
                Some(None) => true,
                None => {
                    r.starts_with("local.")
                        || r.starts_with("var.")
                        || (!followed && (r.starts_with("module.") || r.starts_with("data.")))
                }
            };
            if unseen {
                return carries(
                    name,
                    format!("comes from {r}, which may hold security group ids"),
                );
            }
        }
    }
    Ok(n)
}

/// `security_groups`: null when the configuration sets none (the provider keeps it null,
/// before and after apply), which means the VPC's default security group: no group listed.
fn security_groups(cx: &Cx<'_>, res: &Resource, a: AttrRef<'_>) -> Field<Vec<String>> {
    let f = a.strings();
    match f.val {
        Val::Null => Field::known(Vec::new()).with_sensitive(f.sensitive),
        Val::Unknown => counted_by_sources(cx, res, a).unwrap_or(f),
        Val::Known(_) => f,
    }
}

/// A security group list of known length (the Terraform sources gave it) whose unknown
/// elements are each the id of a different managed resource the sources name: distinct
/// groups, so the count is exact. Unknown ids stand as placeholders (only the count is
/// read). `None` when an element could be any group (a data source, an unnamed value).
fn counted_by_sources(cx: &Cx<'_>, res: &Resource, a: AttrRef<'_>) -> Option<Field<Vec<String>>> {
    let Val::Known(items) = a.items().val else {
        return None;
    };
    let mut known: Vec<String> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.string().val {
            Val::Known(s) => known.push(s),
            Val::Null => {}
            Val::Unknown => {
                let path = format!("network_configuration.0.security_groups.{i}");
                let [t] = cx.plan.source_references(res, &path) else {
                    return None;
                };
                let managed = !t.address.starts_with("data.") && !t.address.contains(".data.");
                if !t.certain || !managed || t.attribute.as_deref() != Some("id") {
                    return None;
                }
                named.push(format!("(known after apply: {}.id)", t.address));
            }
        }
    }
    known.sort_unstable();
    known.dedup();
    named.sort_unstable();
    named.dedup();
    known.extend(named);
    Some(Field::known(known).with_sensitive(a.is_sensitive()))
}

/// `load_balancer` blocks with their target groups.
pub(crate) fn load_balancers(cx: &Cx<'_>, res: &Resource) -> Field<Vec<LoadBalancer>> {
    // Read once: the blocks' tree is not kept (see `AttrRef::with_member`).
    res.values
        .root()
        .with_member("load_balancer", |a| load_balancer_blocks(cx, res, a))
}

fn load_balancer_blocks(cx: &Cx<'_>, res: &Resource, a: AttrRef<'_>) -> Field<Vec<LoadBalancer>> {
    let items = a.items();
    let sensitive = items.sensitive;
    match items.val {
        Val::Known(lbs) => Field::known(
            lbs.iter()
                .enumerate()
                .map(|(i, lb)| LoadBalancer {
                    target_group: {
                        let path = format!("load_balancer.{i}.target_group_arn");
                        cx.link(
                            res,
                            &path,
                            &opt_string(lb.get("target_group_arn")),
                            Kind::TargetGroup,
                            |v| match_in(&cx.lookup.tg_arn, cx.idx, v),
                        )
                        .map(|l| cx.or_candidates(l, res, &path, Kind::TargetGroup))
                    },
                    elb_name: opt_string(lb.get("elb_name")),
                    container_name: opt_string(lb.get("container_name")),
                    container_port: lb.get("container_port").int(),
                })
                .collect(),
        ),
        Val::Null => Field::known(vec![]),
        Val::Unknown => Field::unknown(),
    }
    .with_sensitive(sensitive)
}

/// `service_registries` blocks with their Cloud Map services. The provider writes `0` and
/// `""` for ports and names that are not set; those become Null.
pub(crate) fn service_registries(cx: &Cx<'_>, res: &Resource) -> Field<Vec<ServiceRegistry>> {
    let items = res.values.root().get("service_registries").items();
    let sensitive = items.sensitive;
    match items.val {
        Val::Known(regs) => Field::known(
            regs.iter()
                .enumerate()
                .map(|(i, r)| ServiceRegistry {
                    registry: cx
                        .link(
                            res,
                            &format!("service_registries.{i}.registry_arn"),
                            &opt_string(r.get("registry_arn")),
                            Kind::ServiceDiscovery,
                            |v| {
                                match_in(&cx.lookup.sd_arn, cx.idx, v)
                                    .or_else(|| match_in(&cx.lookup.sd_id, cx.idx, v))
                            },
                        )
                        .unwrap_or_else(Link::unresolved),
                    port: opt_nonzero(r.get("port")),
                    container_name: opt_string(r.get("container_name")),
                    container_port: opt_nonzero(r.get("container_port")),
                })
                .collect(),
        ),
        Val::Null => Field::known(vec![]),
        Val::Unknown => Field::unknown(),
    }
    .with_sensitive(sensitive)
}

/// `capacity_provider_strategy` / `default_capacity_provider_strategy` items, each linked
/// to its `aws_ecs_capacity_provider` when the plan has it (FARGATE and FARGATE_SPOT are
/// built in and have no link).
pub(crate) fn strategy(
    cx: &Cx<'_>,
    res: &Resource,
    attr: &str,
) -> Field<Vec<CapacityProviderStrategyItem>> {
    let block: AttrRef<'_> = res.values.root().get(attr);
    let items = block.items();
    let sensitive = items.sensitive;
    match items.val {
        Val::Known(list) => Field::known(
            list.iter()
                .enumerate()
                .map(|(i, item)| {
                    let name = opt_string(item.get("capacity_provider"));
                    let builtin = name
                        .get()
                        .is_some_and(|n| n == "FARGATE" || n == "FARGATE_SPOT");
                    let link = if builtin {
                        None
                    } else {
                        cx.link(
                            res,
                            &format!("{attr}.{i}.capacity_provider"),
                            &name,
                            Kind::CapacityProvider,
                            |v| match_in(&cx.lookup.cp_name, cx.idx, v),
                        )
                    };
                    CapacityProviderStrategyItem {
                        capacity_provider: name,
                        link,
                        weight: item.get("weight").int(),
                        base: item.get("base").int(),
                    }
                })
                .collect(),
        ),
        Val::Null => Field::null(),
        Val::Unknown => Field::unknown(),
    }
    .with_sensitive(sensitive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_ids_and_target_types() {
        assert!(holds_group_ids(&serde_json::json!({"a": ["x", "sg-0abc"]})));
        assert!(!holds_group_ids(
            &serde_json::json!(["subnet-1", 3, {"sg": "x"}])
        ));
        assert_eq!(
            target_type("module.a[\"x\"].data.aws_security_group.shared"),
            (true, "aws_security_group")
        );
        assert_eq!(
            target_type("aws_security_group.this[\"ingress\"]"),
            (false, "aws_security_group")
        );
        assert_eq!(target_type("aws_vpc.main"), (false, "aws_vpc"));
    }
}
