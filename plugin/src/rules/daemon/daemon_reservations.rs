//! NET081: daemons reserve ENIs and static host ports on every instance.

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::ports::HostPort as StaticPort;
use crate::model::{show_value, Launch, Service, TaskDefinition};
use crate::rules::service::support::{self, Awsvpc, Missing, MissingKind};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// For every `aws_ecs_service` with `scheduling_strategy = "DAEMON"`:
    /// - `deployment_maximum_percent`, if set, is 100 (200 is the AWS provider's default,
    ///   which it does not send for daemons);
    /// - an awsvpc daemon is reported (info) because it takes one network interface slot on
    ///   every instance of its cluster; NET070 subtracts it from the ENI capacity;
    /// - a daemon with static host ports (host mode, or bridge with a fixed `hostPort`) does
    ///   not share a (port, protocol) with another service on the same cluster (error).
    ///
    /// ## Why it matters
    /// ECS reserves the daemon's CPU, memory, network interfaces and ports on every container
    /// instance. A replica service that needs the same static host port can never be placed
    /// next to the daemon, and since the daemon runs everywhere, its tasks stay PENDING
    /// ("already using a port required by your task"). Daemon deployments stop old tasks
    /// before starting new ones, so a maximum percent above 100 does not apply to them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "agent" {
    ///   scheduling_strategy = "DAEMON"
    ///   task_definition     = aws_ecs_task_definition.agent.arn   # host mode, port 8125/udp
    /// }
    /// resource "aws_ecs_service" "statsd" {
    ///   task_definition = aws_ecs_task_definition.statsd.arn      # bridge, hostPort 8125/udp: NET081
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Give one of the two a different host port (or dynamic host ports in bridge mode), or
    /// keep them on different clusters. Remove `deployment_maximum_percent` from daemons. For
    /// awsvpc daemons, make sure the instance type leaves ENI slots for replica tasks (see
    /// NET070/NET071), or run the daemon in host or bridge mode.
    pub struct DaemonReservations {
        id: "NET081",
        name: "daemon-reservations",
        severity: Warning,
        summary: "Daemons reserve ENIs and static host ports on every instance of their cluster",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html#service_scheduler_daemon",
    }
}

fn port_text(p: &StaticPort, sensitive: bool) -> String {
    format!(
        "{}/{}",
        show_value(&p.port, sensitive),
        show_value(&p.protocol, sensitive)
    )
}

impl DaemonReservations {
    fn maximum_percent(&self, cx: &Context<'_>, svc: &Service, out: &mut Vec<Diagnostic>) {
        match svc.deployment_maximum_percent.get() {
            // 200 is the provider default, suppressed and never sent for daemons.
            Some(100) | Some(200) | None => {}
            Some(_) => cx
                .diag(
                    &Self::META,
                    &svc.address,
                    format!(
                        "deployment_maximum_percent = {} on a DAEMON service; daemons must use 100 (they stop a task before starting its replacement)",
                        svc.deployment_maximum_percent.show()
                    ),
                )
                .attribute("deployment_maximum_percent")
                .help("Remove deployment_maximum_percent from the daemon (or set it to 100).")
                .plan(svc.plan)
                .push(out),
        }
    }

    fn eni(&self, cx: &Context<'_>, svc: &Service, out: &mut Vec<Diagnostic>) {
        if svc.launch.get() != Some(&Launch::Ec2) {
            return;
        }
        let Awsvpc::Yes(basis) = support::service_awsvpc(cx, svc) else {
            return;
        };
        let mut d = cx
            .diag(
                &Self::META,
                &svc.address,
                format!(
                    "this awsvpc DAEMON takes one network interface slot on every instance of cluster {}, leaving one fewer for awsvpc replica tasks (counted by NET070)",
                    svc.cluster.describe()
                ),
            )
            .severity(Severity::Info)
            .detail(basis)
            .help("Check NET070 for the cluster's ENI capacity; enable awsvpcTrunking (NET071) or run the daemon in host or bridge mode if slots run short.")
            .plan(svc.plan);
        if let Some(c) = &svc.cluster.address {
            d = d.related(c.clone());
        }
        d.push(out);
    }

    /// Static ports of a service's task definition, or why they are unknown. `Ok(None)`
    /// when the service cannot hold static ports (awsvpc).
    fn ports<'a>(
        cx: &Context<'a>,
        svc: &Service,
    ) -> Result<Option<(&'a TaskDefinition, Vec<StaticPort>)>, Missing> {
        match support::service_task_definition(cx.model, svc) {
            Ok(td) => {
                if td.network_mode == crate::model::NetworkMode::Unknown {
                    return Err(support::service_mode(cx, svc).missing());
                }
                td.static_host_ports().map(|p| Some((td, p)))
            }
            Err(m) => match support::service_awsvpc(cx, svc) {
                Awsvpc::Yes(_) => Ok(None),
                _ => Err(m),
            },
        }
    }

    fn port_clashes(&self, cx: &Context<'_>, daemon: &Service, out: &mut Vec<Diagnostic>) {
        let check =
            "that this daemon's static host ports are free for the other services on its cluster";
        let (dtd, dports) = match Self::ports(cx, daemon) {
            Ok(Some((td, p))) if !p.is_empty() => (td, p),
            Ok(_) => return,
            Err(m) => {
                out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    daemon,
                    "task_definition",
                    check,
                    &m,
                ));
                return;
            }
        };
        let dsens = dtd.containers.sensitive;
        let mut unknown: Vec<String> = Vec::new();
        let mut unknown_kind: Option<MissingKind> = None;
        let mut note_kind = |k: MissingKind| MissingKind::add(&mut unknown_kind, k);
        for other in &cx.model.services {
            if other.address == daemon.address && other.plan == daemon.plan {
                continue;
            }
            // A pair of daemons is reported once, on the one sorting last.
            if other.is_daemon() && other.address < daemon.address {
                continue;
            }
            match support::same_cluster(&daemon.cluster, daemon.plan, &other.cluster, other.plan) {
                Some(true) => {}
                Some(false) => continue,
                None => {
                    unknown.push(format!("{} (cluster unknown)", other.address));
                    note_kind(
                        MissingKind::of_link(&daemon.cluster)
                            .combine(MissingKind::of_link(&other.cluster)),
                    );
                    continue;
                }
            }
            let (otd, oports) = match Self::ports(cx, other) {
                Ok(Some(x)) => x,
                Ok(None) => continue,
                Err(m) => {
                    unknown.push(format!("{} (task definition not readable)", other.address));
                    note_kind(m.kind);
                    continue;
                }
            };
            let osens = otd.containers.sensitive;
            let clashes: Vec<(&StaticPort, &StaticPort)> = dports
                .iter()
                .flat_map(|d| {
                    oports
                        .iter()
                        .filter(move |o| o.port == d.port && o.protocol == d.protocol)
                        .map(move |o| (d, o))
                })
                .collect();
            if clashes.is_empty() {
                continue;
            }
            let sens = dsens || osens;
            let ports: Vec<String> = clashes.iter().map(|(d, _)| port_text(d, sens)).collect();
            let detail: Vec<String> = clashes
                .iter()
                .map(|(d, o)| {
                    format!(
                        "{}: {} {} = {}; {} {} = {}",
                        port_text(d, sens),
                        dtd.address,
                        d.attribute,
                        show_value(&d.port, sens),
                        otd.address,
                        o.attribute,
                        show_value(&o.port, sens)
                    )
                })
                .collect();
            let mut d = cx
                .diag(
                    &Self::META,
                    &other.address,
                    format!(
                        "host port(s) {} are reserved on every instance of the cluster by daemon {}; this service's tasks need the same port(s) and cannot be placed next to it",
                        support::and_list(&ports),
                        daemon.address
                    ),
                )
                .severity(Severity::Error)
                .attribute("task_definition")
                .detail(format!(
                    "{}\nThe daemon runs on every container instance (unless placement constraints keep it off some), so no instance has the port free.",
                    detail.join("\n")
                ))
                .help("Use a different host port (or a dynamic host port in bridge mode) in one of the task definitions, or run the two on different clusters.")
                .related(daemon.address.clone())
                .related(dtd.address.clone())
                .related(otd.address.clone())
                .plan(other.plan);
            if let Some(c) = &daemon.cluster.address {
                d = d.related(c.clone());
            }
            d.push(out);
        }
        if daemon.cluster.address.is_none() && daemon.cluster.literal.is_none() {
            out.push(support::unverifiable(
                cx,
                &Self::META,
                daemon,
                "cluster",
                check,
                &Missing::of_link(
                    &daemon.cluster,
                    "its cluster is known only after apply",
                    "Reference the aws_ecs_cluster resource (cluster = aws_ecs_cluster.main.id) or use a literal cluster name or ARN.",
                ),
            ));
        } else if !unknown.is_empty() {
            out.push(support::unverifiable(
                cx,
                &Self::META,
                daemon,
                "task_definition",
                check,
                &Missing::new(
                    format!("the static ports of {} cannot be read", support::and_list(&unknown)),
                    "Manage those task definitions and clusters in the plan (or pass their plans to `ecsnet check`).",
                    unknown_kind.unwrap_or(MissingKind::OutsidePlan),
                ),
            ));
        }
    }
}

impl Rule for DaemonReservations {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in cx.model.services.iter().filter(|s| s.is_daemon()) {
            self.maximum_percent(cx, svc, out);
            self.eni(cx, svc, out);
            self.port_clashes(cx, svc, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Link, Model, NetworkMode};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn td(addr: &str, mode: NetworkMode, ports: Vec<crate::model::PortMapping>) -> TaskDefinition {
        let mut td = t::task_definition(addr, mode);
        td.containers = Field::known(vec![t::container("c", ports)]);
        td
    }

    fn model(other_mode: NetworkMode, other_host_port: Option<i64>) -> Model {
        let mut m = Model::default();
        m.task_definitions.push(td(
            "aws_ecs_task_definition.agent",
            NetworkMode::Host,
            vec![t::port(8125, None)],
        ));
        m.task_definitions.push(td(
            "aws_ecs_task_definition.web",
            other_mode,
            vec![t::port(8125, other_host_port)],
        ));
        let mut d = t::service(
            "aws_ecs_service.agent",
            "aws_ecs_task_definition.agent",
            "aws_ecs_cluster.main",
        );
        d.scheduling_strategy = Field::known("DAEMON".into());
        m.services.push(d);
        m.services.push(t::service(
            "aws_ecs_service.web",
            "aws_ecs_task_definition.web",
            "aws_ecs_cluster.main",
        ));
        m
    }

    #[test]
    fn static_port_clash_is_error_on_the_other_service() {
        let d = run(&DaemonReservations, &model(NetworkMode::Bridge, Some(8125)));
        let f = firm(&d);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].address, "aws_ecs_service.web");
        assert!(f[0].message.contains("8125/tcp"));
        assert!(f[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("portMappings[0].hostPort"));
    }

    #[test]
    fn dynamic_or_awsvpc_or_other_cluster_passes() {
        assert!(run(&DaemonReservations, &model(NetworkMode::Bridge, None)).is_empty());
        assert!(run(&DaemonReservations, &model(NetworkMode::Awsvpc, Some(8125))).is_empty());
        let mut m = model(NetworkMode::Host, None);
        m.services[1].cluster = Link::outside("other");
        assert!(run(&DaemonReservations, &m).is_empty());
    }

    #[test]
    fn awsvpc_daemon_is_info_and_max_percent_warns() {
        let mut m = model(NetworkMode::Awsvpc, None);
        m.task_definitions[0].network_mode = NetworkMode::Awsvpc;
        m.services[0].deployment_maximum_percent = Field::known(150);
        let d = run(&DaemonReservations, &m);
        assert_eq!(d.len(), 2);
        assert!(d
            .iter()
            .any(|d| d.severity == Severity::Info && !d.unverifiable));
        assert!(d.iter().any(|d| d.severity == Severity::Warning
            && d.attribute.as_deref() == Some("deployment_maximum_percent")));
        m.services[0].deployment_maximum_percent = Field::known(200);
        assert_eq!(run(&DaemonReservations, &m).len(), 1);
    }

    #[test]
    fn unreadable_other_task_definition_is_unverifiable() {
        let mut m = model(NetworkMode::Bridge, Some(8125));
        m.task_definitions.pop();
        m.services[1].task_definition = Link::outside("web:1");
        let d = run(&DaemonReservations, &m);
        assert_eq!(unverified(&d).len(), 1);
        assert!(d[0].message.contains("aws_ecs_service.web"));
    }
}
