//! NET019: at most 100 reserved (static) host ports per container instance.

use std::collections::BTreeSet;

use super::common::{
    default_reserved, known_containers, ports_containers, static_ports, uses_instance_ports,
    LINUX_RESERVED_PORTS, WINDOWS_RESERVED_PORTS,
};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{OsFamily, TaskDefinition};
use crate::rules::{Context, Rule, RuleMeta};

/// "A container instance can have up to 100 reserved ports at a time" (PortMapping reference).
const MAX_RESERVED_PORTS: usize = 100;

declare_rule! {
    /// ## What it checks
    /// A container instance holds at most 100 reserved host ports, counting the agent's
    /// default reserved ports; dynamic host ports do not count.
    /// - error: one task definition's static host ports (a `bridge` `hostPort` other than 0,
    ///   every `host`-mode port, distinct by port and protocol) plus the reserved ports exceed
    ///   100, so not even one task fits on an instance;
    /// - warning: each task definition fits alone, but the task definitions of all services on
    ///   the same cluster (daemons included, Linux and Windows counted separately) need more
    ///   than 100 together, so they cannot all share an instance.
    ///
    /// The reserved ports are the agent defaults (6 on Linux: 22, 2375, 2376, 51678-51680;
    /// 11 on Windows), or the `reserved_ports` list of the `assume` block in `.ecsnet.hcl`.
    ///
    /// ## Why it matters
    /// Placement fails with "Too many ports registered" / `RESOURCE:PORTS` once an instance
    /// would exceed the quota: the task stays pending forever (error case) or services
    /// silently spread over more instances than planned (warning case).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "sip" {
    ///   network_mode = "host"
    ///   container_definitions = jsonencode([{
    ///     name         = "sip"
    ///     image        = "example/sip:1"
    ///     portMappings = [for p in range(10000, 10100) : { containerPort = p, protocol = "udp" }]   # NET019
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use dynamic host ports (`bridge` without `hostPort`), a `containerPortRange` in `bridge`
    /// mode (its host ports are assigned dynamically and do not count), or `awsvpc`, where ports
    /// live on the task's own network interface.
    pub struct StaticPortLimit {
        id: "NET019",
        name: "static-port-limit",
        severity: Error,
        summary: "A container instance holds at most 100 reserved host ports, defaults included",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    }
}

type PortSet = BTreeSet<(i64, String)>;

/// The distinct static (port, protocol) pairs of a task definition, when its containers are known.
fn static_set(td: &TaskDefinition) -> Option<PortSet> {
    let (containers, _) = known_containers(td)?;
    Some(
        static_ports(&td.network_mode, containers)
            .into_iter()
            .map(|p| (p.port, p.protocol.to_ascii_lowercase()))
            .collect(),
    )
}

/// Ports in use on an instance: the static ports plus the reserved TCP ports.
fn total(ports: &PortSet, reserved: &[u16]) -> usize {
    let mut all = ports.clone();
    all.extend(reserved.iter().map(|p| (i64::from(*p), "tcp".to_string())));
    all.len()
}

fn reserved_for(cx: &Context<'_>, os: OsFamily) -> Option<(&'static str, Vec<u16>)> {
    if let Some(list) = &cx.assume.reserved_ports {
        return Some(("assume.reserved_ports", list.clone()));
    }
    default_reserved(os).map(|l| ("the agent's default reserved ports", l.to_vec()))
}

impl StaticPortLimit {
    fn check_task_definitions(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if !uses_instance_ports(&td.network_mode) {
                continue;
            }
            if ports_containers(cx, &Self::META, td, out).is_none() {
                continue;
            }
            let Some(ports) = static_set(td) else {
                continue;
            };
            match reserved_for(cx, td.os_family) {
                Some((what, reserved)) => {
                    let n = total(&ports, &reserved);
                    if n > MAX_RESERVED_PORTS {
                        cx.diag(
                            &Self::META,
                            &td.address,
                            format!("one task needs {n} reserved host ports on its container instance, more than the {MAX_RESERVED_PORTS} an instance can hold, so it can never be placed"),
                        )
                        .attribute("container_definitions")
                        .detail(format!(
                            "{} static host ports (distinct port/protocol) + {} reserved by {what} = {n} > {MAX_RESERVED_PORTS}.",
                            ports.len(),
                            n - ports.len()
                        ))
                        .help("Use dynamic host ports (bridge without hostPort), containerPortRange in bridge mode, or awsvpc.")
                        .plan(td.plan)
                        .push(out);
                    }
                }
                None => {
                    let linux = total(&ports, LINUX_RESERVED_PORTS);
                    let windows = total(&ports, WINDOWS_RESERVED_PORTS);
                    let n = linux.min(windows);
                    if n > MAX_RESERVED_PORTS {
                        cx.diag(
                            &Self::META,
                            &td.address,
                            format!("one task needs at least {n} reserved host ports on its container instance, more than the {MAX_RESERVED_PORTS} an instance can hold"),
                        )
                        .attribute("container_definitions")
                        .help("Use dynamic host ports (bridge without hostPort), containerPortRange in bridge mode, or awsvpc.")
                        .plan(td.plan)
                        .push(out);
                    } else if linux.max(windows) > MAX_RESERVED_PORTS {
                        cx.diag(
                            &Self::META,
                            &td.address,
                            format!("one task needs {linux} reserved host ports on Linux or {windows} on Windows (limit {MAX_RESERVED_PORTS}), and the operating system family is known only after apply"),
                        )
                        .attribute("runtime_platform[0].operating_system_family")
                        .help("Set operating_system_family from a value known at plan time, or declare the instances' reserved ports with `assume { reserved_ports = [22, 2375, 2376, 51678, 51679, 51680] }` in .ecsnet.hcl.")
                        .plan(td.plan)
                        .unverifiable()
                        .missing(vec![crate::diagnostics::Missing::after_apply(format!("runtime_platform.operating_system_family of {} (known after apply)", td.address), "operating_system_family from a value known at plan time")])
                        .push(out);
                    }
                }
            }
        }
    }

    fn check_clusters(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let model = cx.model;
        for cluster in &model.clusters {
            // Windows and Linux tasks never share an instance: count them apart.
            for windows in [false, true] {
                let mut tds: Vec<&TaskDefinition> = Vec::new();
                let mut services = Vec::new();
                for svc in &model.services {
                    if svc.cluster.address.as_deref() != Some(cluster.address.as_str()) {
                        continue;
                    }
                    let Some(td) = model.task_definition_of(svc) else {
                        continue;
                    };
                    let os = td.os_family;
                    if os == OsFamily::Unknown
                        || (os == OsFamily::Windows) != windows
                        || !uses_instance_ports(&td.network_mode)
                    {
                        continue;
                    }
                    services.push(svc.address.clone());
                    if !tds.iter().any(|t| t.address == td.address) {
                        tds.push(td);
                    }
                }
                if tds.len() < 2 {
                    continue;
                }
                let os = if windows {
                    OsFamily::Windows
                } else {
                    OsFamily::Linux
                };
                let Some((what, reserved)) = reserved_for(cx, os) else {
                    continue;
                };
                let sets: Vec<PortSet> = tds.iter().filter_map(|t| static_set(t)).collect();
                // A task definition over the limit alone is already an error above.
                if sets
                    .iter()
                    .any(|s| total(s, &reserved) > MAX_RESERVED_PORTS)
                {
                    continue;
                }
                let union: PortSet = sets.iter().flatten().cloned().collect();
                let n = total(&union, &reserved);
                if n <= MAX_RESERVED_PORTS {
                    continue;
                }
                let mut d = cx
                    .diag(
                        &Self::META,
                        &cluster.address,
                        format!(
                            "the services on this cluster need {n} reserved host ports together, more than the {MAX_RESERVED_PORTS} one container instance can hold, so their tasks cannot all share an instance"
                        ),
                    )
                    .severity(Severity::Warning)
                    .detail(format!(
                        "{} distinct static host ports across {} task definitions ({}) + {} reserved by {what} = {n} > {MAX_RESERVED_PORTS}.",
                        union.len(),
                        tds.len(),
                        tds.iter().map(|t| t.address.as_str()).collect::<Vec<_>>().join(", "),
                        n - union.len()
                    ))
                    .help("Move some services to dynamic host ports or awsvpc, or make sure the cluster has enough instances for the services to spread.")
                    .plan(cluster.plan);
                for s in services {
                    d = d.related(s);
                }
                d.push(out);
            }
        }
    }
}

impl Rule for StaticPortLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        self.check_task_definitions(cx, out);
        self.check_clusters(cx, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::model::testing::{cluster, container, port, service, task_definition};
    use crate::model::{Field, Model, NetworkMode, PortMapping};
    use crate::rules::ports::common::run_rule;

    fn td(address: &str, mode: NetworkMode, ports: Vec<PortMapping>) -> TaskDefinition {
        let mut td = task_definition(address, mode);
        td.containers = Field::known(vec![container("web", ports)]);
        td
    }

    fn host_ports(from: i64, n: i64) -> Vec<PortMapping> {
        (from..from + n).map(|p| port(p, None)).collect()
    }

    #[test]
    fn fires_when_one_task_exceeds() {
        // 95 static + 6 Linux defaults = 101.
        let model = Model {
            task_definitions: vec![td(
                "aws_ecs_task_definition.a",
                NetworkMode::Host,
                host_ports(10000, 95),
            )],
            ..Default::default()
        };
        let d = run_rule(&StaticPortLimit, &model, &Assumptions::default());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(
            d[0].detail
                .as_deref()
                .unwrap()
                .contains("95 static host ports"),
            "{:?}",
            d[0].detail
        );
    }

    #[test]
    fn passes_at_the_limit_and_for_dynamic_ports() {
        let model = Model {
            task_definitions: vec![
                td(
                    "aws_ecs_task_definition.a",
                    NetworkMode::Host,
                    host_ports(10000, 94),
                ),
                td(
                    "aws_ecs_task_definition.b",
                    NetworkMode::Bridge,
                    host_ports(10000, 200),
                ),
                td(
                    "aws_ecs_task_definition.c",
                    NetworkMode::Awsvpc,
                    host_ports(10000, 200),
                ),
            ],
            ..Default::default()
        };
        assert!(run_rule(&StaticPortLimit, &model, &Assumptions::default()).is_empty());
        // With fewer assumed reserved ports, 95 fit.
        let assume = Assumptions {
            reserved_ports: Some(vec![22]),
            ..Default::default()
        };
        let model = Model {
            task_definitions: vec![td(
                "aws_ecs_task_definition.a",
                NetworkMode::Host,
                host_ports(10000, 95),
            )],
            ..Default::default()
        };
        assert!(run_rule(&StaticPortLimit, &model, &assume).is_empty());
    }

    #[test]
    fn warns_for_services_sharing_a_cluster() {
        let model = Model {
            task_definitions: vec![
                td(
                    "aws_ecs_task_definition.a",
                    NetworkMode::Host,
                    host_ports(10000, 60),
                ),
                td(
                    "aws_ecs_task_definition.b",
                    NetworkMode::Host,
                    host_ports(20000, 60),
                ),
            ],
            services: vec![
                service(
                    "aws_ecs_service.a",
                    "aws_ecs_task_definition.a",
                    "aws_ecs_cluster.c",
                ),
                service(
                    "aws_ecs_service.b",
                    "aws_ecs_task_definition.b",
                    "aws_ecs_cluster.c",
                ),
            ],
            clusters: vec![cluster("aws_ecs_cluster.c", &[])],
            ..Default::default()
        };
        let d = run_rule(&StaticPortLimit, &model, &Assumptions::default());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].address, "aws_ecs_cluster.c");
        assert!(d[0].message.contains("126"), "{}", d[0].message);
        assert_eq!(d[0].related.len(), 2);
    }

    #[test]
    fn unknown_os_over_windows_limit_only_is_unverifiable() {
        // 92 + 6 (Linux) = 98 fits; 92 + 11 (Windows) = 103 does not.
        let mut t = td(
            "aws_ecs_task_definition.a",
            NetworkMode::Host,
            host_ports(10000, 92),
        );
        t.os_family = OsFamily::Unknown;
        let model = Model {
            task_definitions: vec![t],
            ..Default::default()
        };
        let d = run_rule(&StaticPortLimit, &model, &Assumptions::default());
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
    }
}
