//! NET073: tasks needing a static host port against the instances at max size.

use crate::capacity::{self, compare, ClusterReport, PortDemand, Verdict};
use crate::diagnostics::{Diagnostic, Severity};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Unverified};

declare_rule! {
    /// ## What it checks
    /// In `host` mode every container port is a port on the instance, and in `bridge` mode
    /// a non-zero `hostPort` is. A container instance can give each (port, protocol) to one
    /// task at a time, across all services and daemons of the cluster. For every static
    /// (port, protocol) the tasks needing it are compared with the instances they can be
    /// placed on at the autoscaling groups' max size: the groups of the capacity providers
    /// of the service's strategy, each with its share of the tasks, or every instance of the
    /// cluster for a service without one. Error when the desired counts exceed them (or a
    /// DAEMON service already holds the port on every instance). Whether a deployment can
    /// make progress with the instances left is NET074's. Dynamic mappings (bridge with
    /// `hostPort` 0 or omitted) and awsvpc tasks are exempt.
    ///
    /// ## Why it matters
    /// ECS cannot place the extra tasks: service events report "unable to place a task
    /// because no container instance met all of its requirements. The closest matching
    /// container-instance ... is already using a port required by your task"
    /// (`RESOURCE:PORTS`). Sources: Amazon ECS developer guide, service event messages
    /// (service-event-messages.html) and task networking (host mode maps container ports
    /// directly to the instance); ECS API `PortMapping.hostPort`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "web" {
    ///   network_mode = "host"   # containerPort 80 → host port 80
    /// }
    /// resource "aws_autoscaling_group" "ecs" { max_size = 2 }
    /// resource "aws_ecs_service" "web" { desired_count = 3 }   # 3 tasks, 2 instances: NET073
    /// ```
    ///
    /// ## How to fix
    /// Use `bridge` mode with `hostPort = 0` (dynamic ports) behind a load balancer, or
    /// `awsvpc`; or raise `max_size` above the tasks needing the port; or lower
    /// `desired_count`.
    pub struct StaticHostPorts {
        id: "NET073",
        name: "static-host-port-capacity",
        severity: Error,
        summary: "Tasks needing a static host port cannot outnumber the instances they can use",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html",
    }
}

impl Rule for StaticHostPorts {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let a = capacity::memo::analysis(cx.model, cx.assume);
        for c in &a.clusters {
            for p in &c.ports {
                check_port(cx, &a, c, p, out);
            }
            for (i, m) in &c.ports_unknown {
                let d = &a.services[*i];
                if d.desired.as_ref().is_ok_and(|c| c.n == 0) && !d.daemon {
                    continue;
                }
                Unverified {
                    address: &d.address,
                    plan: d.plan,
                    attribute: "task_definition",
                    message: format!(
                        "cannot verify the static host ports of this service against the instances of {}",
                        c.label
                    ),
                    detail: Some(
                        "host and bridge tasks with fixed host ports need one instance per task and port."
                            .into(),
                    ),
                    missing: vec![m.clone()],
                }
                .push(cx, &StaticHostPorts::META, out);
            }
        }
    }
}

fn check_port(
    cx: &Context<'_>,
    a: &capacity::Analysis,
    c: &ClusterReport,
    p: &PortDemand,
    out: &mut Vec<Diagnostic>,
) {
    let port = p.show();
    let holders = p
        .daemons
        .iter()
        .map(|&j| a.services[j].address.clone())
        .collect::<Vec<_>>();
    // Two daemons holding the same port on every instance: only one can run anywhere.
    if p.daemons.len() > 1 {
        for &j in &p.daemons {
            let d = &a.services[j];
            cx.diag(
                &StaticHostPorts::META,
                &d.address,
                format!("DAEMON services {} all need host port {port} on every instance of {}", holders.join(", "), c.label),
            )
            .severity(Severity::Error)
            .attribute("task_definition")
            .detail("A DAEMON service runs one task on every instance; an instance can give a host port to one task only.")
            .help("Give each daemon its own host port, or use bridge mode with hostPort = 0.")
            .group(c.label.clone())
            .discriminator(port.clone())
            .plan(d.plan)
            .push(out);
        }
    }
    for &i in &p.services {
        let d = &a.services[i];
        for pool in a.pools_of(i) {
            let pl = &c.pools[pool];
            let avail = p.available(pl.instances);
            let need = a.port_need(p, pool, None);
            if need.total.hi == Some(0) {
                continue;
            }
            let inst_words = format!(
                "{} has {} container instances at max size: {}",
                support::capacity_of(pl, pool),
                pl.instances.show(),
                pl.describe_instances(&c.capacity)
            );
            match compare(need.total, avail) {
                Verdict::Exceeds => {
                    let (message, detail) = if p.daemons.is_empty() {
                        (
                            format!(
                                "{} tasks need host port {port} but {} has only {} instances at max size",
                                need.total.show(),
                                pl.label,
                                pl.instances.show()
                            ),
                            format!(
                                "needs {} instances with {port} free ({}); {inst_words}.{}",
                                need.total.show(),
                                need.why,
                                support::provider_note(c, pool)
                            ),
                        )
                    } else {
                        (
                            format!(
                                "host port {port} is held on every instance of {} by DAEMON service {}",
                                c.label,
                                holders.join(", ")
                            ),
                            format!(
                                "A DAEMON task runs on every instance and holds {port}; {} tasks of this service ({}) need it too.",
                                need.total.show(),
                                need.why
                            ),
                        )
                    };
                    cx.diag(&StaticHostPorts::META, &d.address, message)
                        .severity(Severity::Error)
                        .attribute("desired_count")
                        .detail(detail)
                        .help("Use bridge mode with hostPort = 0 (dynamic ports) or awsvpc, raise max_size, or lower desired_count.")
                        .group(pl.label.clone())
                        .discriminator(port.clone())
                        .plan(d.plan)
                        .push(out);
                    break;
                }
                Verdict::Unverifiable => {
                    let mut missing = need.missing.clone();
                    missing.extend(pl.missing.iter().cloned());
                    Unverified {
                        address: &d.address,
                        plan: d.plan,
                        attribute: "desired_count",
                        message: format!(
                            "cannot verify that the tasks needing host port {port} fit the instances of {}",
                            pl.label
                        ),
                        detail: Some(format!(
                            "needs {} ({}); {inst_words}.",
                            need.total.show(),
                            need.why
                        )),
                        missing,
                    }
                    .push(cx, &StaticHostPorts::META, out);
                    break;
                }
                Verdict::Fits => {}
            }
        }
    }
}
