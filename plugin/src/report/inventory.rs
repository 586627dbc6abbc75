//! `ecsnet inventory` output: the model as JSON (schema in docs/inventory-schema.md) or
//! as a readable tree per cluster → services → task definition, capacity and subnets.
//!
//! Every plan value goes through `Field::show` (text) or `Field`'s `Serialize` (JSON), both
//! of which redact sensitive values.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::model::{
    CapacityKind, CapacityProviderStrategyItem, Cluster, Field, Launch, Link, Model, Resolution,
    Service, Subnet, TaskDefinition, Val,
};

/// Version of the inventory JSON document.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    #[serde(flatten)]
    model: &'a Model,
}

/// The inventory as pretty JSON, ending with a newline.
pub fn render_json(model: &Model) -> String {
    let doc = Document {
        version: SCHEMA_VERSION,
        model,
    };
    // Serializing plain data structures cannot fail; fall back to an empty object anyway.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

fn resolution(r: Resolution) -> &'static str {
    match r {
        Resolution::KnownValue => "known value",
        Resolution::ConfigReference => "configuration reference",
        Resolution::Source => "Terraform sources",
        Resolution::UserData => "ECS_CLUSTER in user data",
        Resolution::Assumption => "assumption",
        Resolution::OnlyCandidate => "only candidate",
        Resolution::OneOfCandidates => "one of candidates",
        Resolution::OutsidePlan => "outside the plan",
        Resolution::Unresolved => "unresolved",
    }
}

/// `address (how, uncertain)` for a link.
fn link(l: &Link) -> String {
    let how = resolution(l.resolved_by);
    let guess = if l.certain || l.resolved_by == Resolution::Unresolved {
        ""
    } else {
        ", best guess"
    };
    match (&l.address, &l.literal) {
        (Some(a), _) => format!("{a} ({how}{guess})"),
        (None, Some(lit)) => format!("{lit} (outside the plan)"),
        (None, None) if !l.candidates.is_empty() => format!(
            "(known after apply; the configuration hides it) one of {}",
            l.candidates.join(", ")
        ),
        (None, None) => "(known after apply; no configuration reference names it)".to_string(),
    }
}

fn launch_name(l: Launch) -> &'static str {
    match l {
        Launch::Fargate => "FARGATE",
        Launch::Ec2 => "EC2",
        Launch::External => "EXTERNAL",
        Launch::ManagedInstances => "MANAGED_INSTANCES",
    }
}

fn list(f: &Field<Vec<String>>) -> String {
    f.as_ref()
        .map(|v| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        })
        .show()
}

fn strategy(f: &Field<Vec<CapacityProviderStrategyItem>>) -> String {
    if f.sensitive {
        return "(sensitive)".into();
    }
    match &f.val {
        Val::Known(items) if items.is_empty() => "none".into(),
        Val::Known(items) => items
            .iter()
            .map(|i| {
                format!(
                    "{} (weight {}, base {})",
                    i.capacity_provider.show(),
                    i.weight.show(),
                    i.base.show()
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        Val::Null => "(not set)".into(),
        Val::Unknown => "(known after apply)".into(),
    }
}

/// Human-readable tree of the model.
/// "1 service", "2 services".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn render_text(model: &Model) -> String {
    let mut out = String::new();
    for p in &model.plans {
        let _ = writeln!(
            out,
            "Plan {} ({}, format {}, {})",
            p.path,
            p.terraform_version
                .as_deref()
                .map_or("Terraform version not recorded".to_string(), |v| format!(
                    "Terraform {v}"
                )),
            p.format_version.as_deref().unwrap_or("not recorded"),
            plural(p.resources, "resource", "resources")
        );
    }
    let _ = writeln!(
        out,
        "Found {}, {}, {}, {}, {}, {}, {}, {}, {}.",
        plural(model.clusters.len(), "cluster", "clusters"),
        plural(model.services.len(), "service", "services"),
        plural(
            model.task_definitions.len(),
            "task definition",
            "task definitions"
        ),
        plural(model.task_sets.len(), "task set", "task sets"),
        plural(
            model.capacity_providers.len(),
            "capacity provider",
            "capacity providers"
        ),
        plural(
            model.autoscaling_groups.len(),
            "autoscaling group",
            "autoscaling groups"
        ),
        plural(model.instances.len(), "instance", "instances"),
        plural(model.subnets.len(), "subnet", "subnets"),
        plural(model.target_groups.len(), "target group", "target groups")
    );

    // Services grouped by the cluster they link to (address, literal, or unresolved).
    let mut by_cluster: BTreeMap<&str, Vec<&Service>> = BTreeMap::new();
    let mut outside: BTreeMap<String, Vec<&Service>> = BTreeMap::new();
    for s in &model.services {
        match (&s.cluster.address, &s.cluster.literal) {
            (Some(a), _) => by_cluster.entry(a.as_str()).or_default().push(s),
            (None, Some(l)) => outside.entry(l.clone()).or_default().push(s),
            (None, None) => outside
                .entry("(known after apply)".to_string())
                .or_default()
                .push(s),
        }
    }
    for c in &model.clusters {
        out.push('\n');
        cluster(&mut out, model, c);
        let services = by_cluster
            .get(c.address.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if services.is_empty() {
            out.push_str("  services: none in the plan\n");
        }
        for s in services {
            service(&mut out, model, s);
        }
    }
    for (name, services) in &outside {
        let _ = writeln!(out, "\nCluster {name} (not in the plan)");
        for s in services {
            service(&mut out, model, s);
        }
    }

    let used: std::collections::HashSet<&str> = model
        .services
        .iter()
        .filter_map(|s| s.task_definition.address.as_deref())
        .chain(
            model
                .task_sets
                .iter()
                .filter_map(|t| t.task_definition.address.as_deref()),
        )
        .collect();
    let unused: Vec<&TaskDefinition> = model
        .task_definitions
        .iter()
        .filter(|t| !used.contains(t.address.as_str()))
        .collect();
    if !unused.is_empty() {
        out.push_str("\nTask definitions not run by a service in the plan\n");
        for t in unused {
            task_definition(&mut out, t, "  ");
        }
    }
    if !model.task_sets.is_empty() {
        out.push_str("\nTask sets\n");
        for t in &model.task_sets {
            let _ = writeln!(out, "  {}", t.address);
            let _ = writeln!(out, "    service: {}", link(&t.service));
            let _ = writeln!(out, "    cluster: {}", link(&t.cluster));
            let _ = writeln!(out, "    task definition: {}", link(&t.task_definition));
            let _ = writeln!(out, "    launch type: {}", t.launch_type.show());
        }
    }
    unlinked_capacity(&mut out, model);
    if !model.subnets.is_empty() {
        out.push_str("\nSubnets\n");
        for s in &model.subnets {
            subnet_line(&mut out, s, "  ");
        }
    }
    if !model.target_groups.is_empty() {
        out.push_str("\nTarget groups\n");
        for t in &model.target_groups {
            let _ = writeln!(
                out,
                "  {}: target type {}, port {}, protocol {}, health check port {}",
                t.address,
                t.target_type.show(),
                t.port.show(),
                t.protocol.show(),
                t.health_check_port.show()
            );
        }
    }
    let a = &model.account_settings;
    out.push_str("\nAccount settings\n");
    let _ = writeln!(
        out,
        "  awsvpcTrunking: {}{}",
        enabled(&a.awsvpc_trunking),
        a.awsvpc_trunking_address
            .as_deref()
            .map(|x| format!(" ({x})"))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "  dualStackIPv6: {}{}",
        enabled(&a.dual_stack_ipv6),
        a.dual_stack_ipv6_address
            .as_deref()
            .map(|x| format!(" ({x})"))
            .unwrap_or_default()
    );
    out
}

/// Autoscaling groups and instances that no cluster in the plan claims (their cluster may
/// live elsewhere, or their user data names it in a way ecsnet cannot read).
fn unlinked_capacity(out: &mut String, model: &Model) {
    let claimed: std::collections::HashSet<&str> = model
        .clusters
        .iter()
        .flat_map(|c| c.capacity.iter().filter_map(|s| s.address.as_deref()))
        .collect();
    let groups: Vec<_> = model
        .autoscaling_groups
        .iter()
        .filter(|g| !claimed.contains(g.address.as_str()))
        .collect();
    let instances: Vec<_> = model
        .instances
        .iter()
        .filter(|i| !claimed.contains(i.address.as_str()))
        .collect();
    if groups.is_empty() && instances.is_empty() {
        return;
    }
    out.push_str("\nEC2 capacity not linked to a cluster in the plan\n");
    let joins = |c: &Option<String>| match c {
        Some(name) => format!("user data joins cluster {name}"),
        None => "no ECS_CLUSTER found in user data".to_string(),
    };
    for g in groups {
        let _ = writeln!(
            out,
            "  autoscaling group {}: instance types {}; min {}, max {}, desired {}; {}",
            g.address,
            list(&g.instance_types),
            g.min_size.show(),
            g.max_size.show(),
            g.desired_capacity.show(),
            joins(&g.ecs_cluster_from_user_data)
        );
    }
    for i in instances {
        let _ = writeln!(
            out,
            "  instance {}: {}; {}",
            i.address,
            i.instance_type.show(),
            joins(&i.ecs_cluster_from_user_data)
        );
    }
}

fn enabled(f: &Field<bool>) -> String {
    match (&f.val, f.sensitive) {
        (_, true) => "(sensitive)".into(),
        (Val::Known(true), _) => "enabled".into(),
        (Val::Known(false), _) => "disabled".into(),
        (Val::Null, _) => "not set in the plan".into(),
        (Val::Unknown, _) => "(known after apply)".into(),
    }
}

fn cluster(out: &mut String, model: &Model, c: &Cluster) {
    let _ = writeln!(out, "Cluster {} (name {})", c.address, c.name.show());
    let _ = writeln!(out, "  capacity providers: {}", list(&c.capacity_providers));
    let _ = writeln!(out, "  default strategy: {}", strategy(&c.default_strategy));
    if c.capacity.is_empty() {
        out.push_str("  capacity: none found in the plan (add an `assume cluster` block for capacity outside it)\n");
    }
    for cap in &c.capacity {
        let via = match &cap.capacity_provider {
            Some(cp) => format!("capacity provider {cp}, {}", resolution(cap.via)),
            None => resolution(cap.via).to_string(),
        };
        let guess = if cap.certain { "" } else { ", best guess" };
        match cap.kind {
            CapacityKind::Fargate => {
                let _ = writeln!(out, "  capacity: Fargate ({via})");
            }
            CapacityKind::Assumed => {
                let _ = writeln!(out, "  capacity: from the `assume cluster` block");
            }
            CapacityKind::AutoscalingGroup => {
                let addr = cap.address.as_deref().unwrap_or("?");
                let _ = writeln!(out, "  capacity: autoscaling group {addr} ({via}{guess})");
                if let Some(g) = model.autoscaling_group(addr) {
                    let _ = writeln!(
                        out,
                        "    instance types {}; min {}, max {}, desired {}",
                        list(&g.instance_types),
                        g.min_size.show(),
                        g.max_size.show(),
                        g.desired_capacity.show()
                    );
                    if let Some(lt) = &g.launch_template {
                        let _ = writeln!(out, "    launch template: {}", link(lt));
                    }
                    if let Some(lc) = &g.launch_configuration {
                        let _ = writeln!(out, "    launch configuration: {}", link(lc));
                    }
                }
            }
            CapacityKind::Instance => {
                let addr = cap.address.as_deref().unwrap_or("?");
                let ty = model
                    .instance(addr)
                    .map(|i| i.instance_type.show())
                    .unwrap_or_else(|| "(unknown)".into());
                let _ = writeln!(out, "  capacity: instance {addr} ({ty}; {via}{guess})");
            }
        }
    }
}

fn service(out: &mut String, model: &Model, s: &Service) {
    let _ = writeln!(out, "  Service {} (name {})", s.address, s.name.show());
    let _ = writeln!(
        out,
        "    launch: {}; scheduling {}; desired count {}",
        s.launch.as_ref().map(|l| launch_name(*l)).show(),
        s.scheduling_strategy.show(),
        s.desired_count.show()
    );
    if s.capacity_provider_strategy
        .get()
        .is_some_and(|i| !i.is_empty())
    {
        let _ = writeln!(
            out,
            "    capacity provider strategy: {}",
            strategy(&s.capacity_provider_strategy)
        );
    }
    let _ = writeln!(out, "    task definition: {}", link(&s.task_definition));
    if let Some(td) = model.task_definition_of(s) {
        task_definition(out, td, "      ");
    }
    match (
        &s.network_configuration.val,
        s.network_configuration.sensitive,
    ) {
        (_, true) => out.push_str("    network configuration: (sensitive)\n"),
        (Val::Known(Some(nc)), _) => {
            let _ = writeln!(out, "    assign public IP: {}", nc.assign_public_ip.show());
            match (&nc.subnets.val, nc.subnets.sensitive) {
                (_, true) => out.push_str("    subnets: (sensitive)\n"),
                (Val::Known(links), _) => {
                    if links.is_empty() {
                        out.push_str("    subnets: none\n");
                    }
                    for l in links {
                        let _ = writeln!(out, "    subnet: {}", link(l));
                        if let Some(sn) = l.address.as_deref().and_then(|a| model.subnet(a)) {
                            subnet_line(out, sn, "      ");
                        }
                    }
                }
                (Val::Null, _) => out.push_str("    subnets: (not set)\n"),
                (Val::Unknown, _) => match &nc.subnet_candidates {
                    Some(c) => {
                        let _ = writeln!(
                            out,
                            "    subnets: (known after apply; the configuration hides them) some of {}",
                            c.candidates.join(", ")
                        );
                    }
                    None => out.push_str(
                        "    subnets: (known after apply; no configuration reference names a subnet in the plan)\n",
                    ),
                },
            }
        }
        (Val::Known(None), _) => out.push_str("    network configuration: none\n"),
        (Val::Null, _) => out.push_str("    network configuration: (not set)\n"),
        (Val::Unknown, _) => out.push_str("    network configuration: (known after apply)\n"),
    }
    if let Some(lbs) = s.load_balancers.get() {
        for lb in lbs {
            match &lb.target_group {
                Some(tg) => {
                    let _ = writeln!(
                        out,
                        "    target group: {} → container {} port {}",
                        link(tg),
                        lb.container_name.show(),
                        lb.container_port.show()
                    );
                    if let Some(t) = tg.address.as_deref().and_then(|a| model.target_group(a)) {
                        let _ = writeln!(
                            out,
                            "      target type {}, port {}, health check port {}",
                            t.target_type.show(),
                            t.port.show(),
                            t.health_check_port.show()
                        );
                    }
                }
                None => {
                    let _ = writeln!(
                        out,
                        "    classic load balancer: {} → container {} port {}",
                        lb.elb_name.show(),
                        lb.container_name.show(),
                        lb.container_port.show()
                    );
                }
            }
        }
    }
    if let Some(regs) = s.service_registries.get() {
        for r in regs {
            let _ = writeln!(out, "    service registry: {}", link(&r.registry));
        }
    }
}

fn task_definition(out: &mut String, td: &TaskDefinition, indent: &str) {
    let explicit = if td.network_mode_explicit {
        "set"
    } else {
        "default, not set"
    };
    let _ = writeln!(
        out,
        "{indent}{}: family {}, network mode {} ({explicit}), requires {}, cpu {}, memory {}",
        td.address,
        td.family.show(),
        td.network_mode.as_str(),
        list(&td.requires_compatibilities),
        td.cpu.show(),
        td.memory.show()
    );
    if let Some(err) = &td.containers_error {
        let _ = writeln!(out, "{indent}  containers: cannot decode ({err})");
        return;
    }
    if td.containers.sensitive {
        let _ = writeln!(out, "{indent}  containers: (sensitive)");
        return;
    }
    match &td.containers.val {
        Val::Known(cs) => {
            for c in cs {
                let ports: Vec<String> = c
                    .port_mappings
                    .iter()
                    .map(|p| {
                        let cp = p
                            .container_port
                            .map(|x| x.to_string())
                            .or_else(|| p.container_port_range.clone())
                            .unwrap_or_else(|| "?".into());
                        let hp = p
                            .host_port
                            .map(|x| x.to_string())
                            .or_else(|| p.host_port_range.clone())
                            .unwrap_or_else(|| "dynamic".into());
                        format!("{hp}->{cp}/{}", p.protocol)
                    })
                    .collect();
                let ports = if ports.is_empty() {
                    "no port mappings".to_string()
                } else {
                    format!("ports {}", ports.join(", "))
                };
                let _ = writeln!(out, "{indent}  container {}: {ports}", c.name);
            }
        }
        Val::Null => {
            let _ = writeln!(out, "{indent}  containers: (not set)");
        }
        Val::Unknown => {
            let _ = writeln!(out, "{indent}  containers: (known after apply)");
        }
    }
}

fn subnet_line(out: &mut String, s: &Subnet, indent: &str) {
    let _ = writeln!(
        out,
        "{indent}{}: id {}, IPv4 {}, IPv6 {}, AZ {}",
        s.address,
        s.id.show(),
        s.cidr_block.show(),
        s.ipv6_cidr_block.show(),
        s.availability_zone.show()
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing;

    #[test]
    fn sensitive_values_are_redacted_in_both_formats() {
        let mut model = Model::default();
        let mut td = testing::task_definition(
            "aws_ecs_task_definition.x",
            crate::model::NetworkMode::Awsvpc,
        );
        td.family = Field::known("SECRET-FAMILY".into()).with_sensitive(true);
        td.containers =
            Field::known(vec![testing::container("SECRET-NAME", vec![])]).with_sensitive(true);
        model.task_definitions.push(td);
        let text = render_text(&model);
        let json = render_json(&model);
        assert!(!text.contains("SECRET"), "{text}");
        assert!(!json.contains("SECRET"), "{json}");
        assert!(text.contains("(sensitive)"));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(
            v["task_definitions"][0]["family"],
            serde_json::json!({"sensitive": true})
        );
    }
}
