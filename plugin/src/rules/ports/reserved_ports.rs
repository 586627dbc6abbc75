//! NET017: a static host port on the instance is not one the agent reserves.

use super::common::{
    cname, default_reserved, num, ports_containers, static_ports, uses_instance_ports,
    LINUX_RESERVED_PORTS, WINDOWS_RESERVED_PORTS,
};
use std::collections::HashMap;

use crate::capacity::{self, SourceCapacity};
use crate::diagnostics::Diagnostic;
use crate::model::{CapacityKind, Model, OsFamily};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// Static host ports on the container instance (a `bridge` `hostPort` other than 0, every
    /// `host`-mode port) are not in the agent's reserved TCP ports:
    /// - Linux: 22, 2375, 2376, 51678-51680 (the PortMapping reference; the agent README's
    ///   `ECS_RESERVED_PORTS` default lists 22, 2375, 2376, 51678, 51679);
    /// - Windows: 53, 135, 139, 445, 2375, 2376, 3389, 5985, 5986, 51678, 51679.
    ///
    /// `assume { reserved_ports = [22, 2375, 2376, 51678, 51679, 51680, 8125] }` in
    /// `.ecsnet.hcl` replaces the default list (give them all), for
    /// instances whose user data sets `ECS_RESERVED_PORTS` in a way ecsnet cannot read.
    /// Without it, a literal list set by `ECS_RESERVED_PORTS` in the user data of the launch
    /// templates, launch configurations and instances of the clusters whose services run the
    /// task definition replaces the default for those instances; a port is an error when
    /// every such instance reserves it. Source: Amazon ECS Developer Guide, "Amazon ECS
    /// container agent configuration"
    /// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html>),
    /// `ECS_RESERVED_PORTS`: "An array of ports that should be marked as unavailable for
    /// scheduling on this container instance." Only TCP mappings are checked:
    /// `ECS_RESERVED_PORTS_UDP` is empty by default. `awsvpc` ports live on the task's ENI and
    /// are not affected. When the OS family is known only after apply, a port reserved on
    /// both Linux and Windows is still an error; one reserved on only one of them is an
    /// unverifiable info.
    ///
    /// ## Why it matters
    /// The agent registers the instance with these ports already in use, so a task that needs
    /// one can never be placed: the service reports `RESOURCE:PORTS` and stays below its
    /// desired count. Port 22 (SSH) and 2375/2376 (Docker) are the usual culprits.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "sftp" {
    ///   network_mode = "bridge"
    ///   container_definitions = jsonencode([{
    ///     name         = "sftp"
    ///     image        = "example/sftp:1"
    ///     portMappings = [{ containerPort = 22, hostPort = 22 }]   # NET017
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use another host port (for example `hostPort = 2222`), a dynamic host port (omit
    /// `hostPort` and put a load balancer in front), or `awsvpc` so the task gets its own
    /// address. If your instances set `ECS_RESERVED_PORTS` differently, tell ecsnet with
    /// `reserved_ports` in the `assume` block (every reserved port, defaults included).
    pub struct ReservedPorts {
        id: "NET017",
        name: "reserved-host-port",
        severity: Error,
        summary: "A static host port must not be one the ECS agent reserves (22, 2375, 2376, 51678-51680 on Linux)",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    }
}

impl Rule for ReservedPorts {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let from_user_data = instance_reserved_ports(cx);
        for td in &cx.model.task_definitions {
            if !uses_instance_ports(&td.network_mode) {
                continue;
            }
            let Some((containers, s)) = ports_containers(cx, &Self::META, td, out) else {
                continue;
            };
            let assumed = cx.assume.reserved_ports.as_deref();
            // The instances the task definition's services run on, when one of them sets
            // ECS_RESERVED_PORTS and the others' defaults are known.
            let instances = from_user_data
                .get(&(td.plan, td.address.as_str()))
                .filter(|l| l.iter().any(|(_, r)| r.is_some()))
                .filter(|l| {
                    default_reserved(td.os_family).is_some() || l.iter().all(|(_, r)| r.is_some())
                });
            for sp in static_ports(&td.network_mode, containers) {
                if !sp.protocol.eq_ignore_ascii_case("tcp") {
                    continue;
                }
                let Ok(port) = u16::try_from(sp.port) else {
                    continue;
                };
                let c = &containers[sp.container];
                let (certain, source) = match (assumed, default_reserved(td.os_family)) {
                    (Some(list), _) => (
                        list.contains(&port),
                        "assume.reserved_ports in the ecsnet configuration".to_string(),
                    ),
                    (None, default) if instances.is_some() => {
                        let l = instances.map(Vec::as_slice).unwrap_or_default();
                        let reserved = l.iter().all(|(_, r)| {
                            r.as_deref().or(default).is_some_and(|r| r.contains(&port))
                        });
                        let set: Vec<&str> = l
                            .iter()
                            .filter(|(_, r)| r.is_some())
                            .map(|(w, _)| w.as_str())
                            .collect();
                        (
                            reserved,
                            format!(
                                "ECS_RESERVED_PORTS in the user data of {} (the instances of the clusters its services run on)",
                                crate::rules::service::support::and_list(&set)
                            ),
                        )
                    }
                    (None, Some(list)) => (
                        list.contains(&port),
                        if td.os_family == OsFamily::Windows {
                            "the ECS agent's default reserved ports on Windows".to_string()
                        } else {
                            "the ECS agent's default reserved ports on Linux".to_string()
                        },
                    ),
                    (None, None) => {
                        let linux = LINUX_RESERVED_PORTS.contains(&port);
                        let windows = WINDOWS_RESERVED_PORTS.contains(&port);
                        if linux != windows {
                            cx.diag(
                                &Self::META,
                                &td.address,
                                format!(
                                    "host port {} of container {} is reserved by the ECS agent on {} but not on {}, and the operating system family is known only after apply",
                                    num(sp.port, s),
                                    cname(c, s),
                                    if linux { "Linux" } else { "Windows" },
                                    if linux { "Windows" } else { "Linux" },
                                ),
                            )
                            .attribute(sp.attribute.clone())
                            .help("Set runtime_platform.operating_system_family from a value known at plan time, or avoid the port.")
                            .plan(td.plan)
                            .unverifiable()
                            .missing(vec![crate::diagnostics::Missing::after_apply(format!("runtime_platform.operating_system_family of {} (known after apply)", td.address), "operating_system_family from a value known at plan time")])
                            .push(out);
                        }
                        (
                            linux && windows,
                            "the ECS agent's default reserved ports on both Linux and Windows"
                                .to_string(),
                        )
                    }
                };
                if !certain {
                    continue;
                }
                cx.diag(
                    &Self::META,
                    &td.address,
                    format!(
                        "host port {} of container {} is reserved on the container instance, so the task can never be placed",
                        num(sp.port, s),
                        cname(c, s),
                    ),
                )
                .attribute(sp.attribute.clone())
                .detail(format!(
                    "The port is in {source}; placement fails with RESOURCE:PORTS."
                ))
                .help("Use another host port, a dynamic host port (omit hostPort in bridge mode) or awsvpc. If your instances set ECS_RESERVED_PORTS, declare the full list with `assume { reserved_ports = [22, 2375, 2376, 51678, 51679, 51680] }` in .ecsnet.hcl (the agent defaults plus yours).")
                .plan(td.plan)
                .push(out);
            }
        }
    }
}

/// Per task definition (plan, address): each group or instance its services can be placed
/// on, with the `ECS_RESERVED_PORTS` its user data sets (None: the agent's default). One pass
/// over the services.
type InstancePorts = Vec<(String, Option<Vec<u16>>)>;

fn instance_reserved_ports<'m>(cx: &Context<'m>) -> HashMap<(usize, &'m str), InstancePorts> {
    let mut out: HashMap<(usize, &'m str), InstancePorts> = HashMap::new();
    let a = capacity::memo::analysis(cx.model, cx.assume);
    for (i, svc) in cx.model.services.iter().enumerate() {
        let Some(td) = svc.task_definition.address.as_deref() else {
            continue;
        };
        let list = out.entry((svc.plan, td)).or_default();
        for src in a.sources_of(i) {
            let ports = source_reserved_ports(cx.model, src, svc.plan);
            if !list.iter().any(|(l, _)| l == &src.label) {
                list.push((src.label.clone(), ports));
            }
        }
    }
    out
}

fn source_reserved_ports(m: &Model, src: &SourceCapacity, plan: usize) -> Option<Vec<u16>> {
    let addr = src.address.as_deref()?;
    match src.kind {
        CapacityKind::AutoscalingGroup => m
            .autoscaling_group_in(addr, plan)?
            .reserved_ports_from_user_data
            .clone(),
        CapacityKind::Instance => m
            .instance_in(addr, plan)?
            .reserved_ports_from_user_data
            .clone(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::model::testing::port;
    use crate::model::{NetworkMode, PortMapping, TaskDefinition};
    use crate::rules::ports::common::{run_on_task, web_task as td};

    fn run(td: TaskDefinition, assume: &Assumptions) -> Vec<Diagnostic> {
        run_on_task(&ReservedPorts, td, assume)
    }

    #[test]
    fn fires_on_linux_and_windows_defaults() {
        let d = run(
            td(
                NetworkMode::Bridge,
                OsFamily::Unspecified,
                vec![port(22, Some(22)), port(80, Some(51680))],
            ),
            &Assumptions::default(),
        );
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].portMappings[0].hostPort")
        );
        let d = run(
            td(NetworkMode::Host, OsFamily::Linux, vec![port(2375, None)]),
            &Assumptions::default(),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].portMappings[0].containerPort")
        );
        let d = run(
            td(
                NetworkMode::WindowsDefault,
                OsFamily::Windows,
                vec![port(80, Some(3389))],
            ),
            &Assumptions::default(),
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].detail.as_deref().unwrap().contains("Windows"));
    }

    #[test]
    fn passes_dynamic_udp_awsvpc_and_unreserved() {
        let udp = PortMapping {
            protocol: "udp".into(),
            ..port(22, Some(22))
        };
        assert!(run(
            td(
                NetworkMode::Bridge,
                OsFamily::Linux,
                vec![port(22, None), port(22, Some(0)), udp, port(80, Some(8080))]
            ),
            &Assumptions::default()
        )
        .is_empty());
        assert!(run(
            td(NetworkMode::Awsvpc, OsFamily::Linux, vec![port(22, None)]),
            &Assumptions::default()
        )
        .is_empty());
        // 3389 is reserved on Windows only.
        assert!(run(
            td(
                NetworkMode::Bridge,
                OsFamily::Linux,
                vec![port(80, Some(3389))]
            ),
            &Assumptions::default()
        )
        .is_empty());
    }

    #[test]
    fn assumption_replaces_defaults() {
        let assume = Assumptions {
            reserved_ports: Some(vec![8080]),
            ..Default::default()
        };
        let d = run(
            td(
                NetworkMode::Bridge,
                OsFamily::Linux,
                vec![port(22, Some(22)), port(80, Some(8080))],
            ),
            &assume,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].portMappings[1].hostPort")
        );
        assert!(d[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("assume.reserved_ports"));
    }

    #[test]
    fn unknown_os_splits_certain_and_unverifiable() {
        let d = run(
            td(
                NetworkMode::Bridge,
                OsFamily::Unknown,
                vec![port(1, Some(2375)), port(2, Some(22))],
            ),
            &Assumptions::default(),
        );
        assert_eq!(d.len(), 2);
        assert!(!d[0].unverifiable);
        assert!(d[1].unverifiable);
    }
}
