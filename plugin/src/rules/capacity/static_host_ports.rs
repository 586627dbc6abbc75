//! NET073: tasks needing a static host port against the instances at max size.

use crate::capacity::{self, compare, Bound, ClusterReport, DeployKind, PortDemand, Verdict};
use crate::diagnostics::{Diagnostic, Severity};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Unverifiable};

declare_rule! {
    /// ## What it checks
    /// In `host` mode every container port is a port on the instance, and in `bridge` mode
    /// a non-zero `hostPort` is. A container instance can give each (port, protocol) to one
    /// task at a time, across all services and daemons of the cluster. For every static
    /// (port, protocol) the tasks needing it are compared with the cluster's instances at the
    /// autoscaling groups' max size: error when the desired counts exceed them (or a DAEMON
    /// service already holds the port on every instance), warning when a rolling
    /// deployment's peak, floor(desired × maximum_percent / 100), does. Dynamic mappings
    /// (bridge with `hostPort` 0 or omitted) and awsvpc tasks are exempt.
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
    /// `awsvpc`; or raise `max_size` above the tasks needing the port (plus the deployment
    /// headroom); or lower `desired_count`.
    pub struct StaticHostPorts {
        id: "NET073",
        name: "static-host-port-capacity",
        severity: Error,
        summary: "Tasks needing a static host port cannot outnumber the cluster's instances",
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
                support::push_unverifiable(
                    cx,
                    &StaticHostPorts::META,
                    Unverifiable {
                        address: &d.address,
                        plan: d.plan,
                        attribute: "task_definition",
                        message: format!(
                            "cannot verify the static host ports of this service against the instances of {}",
                            c.label
                        ),
                        detail: "host and bridge tasks with fixed host ports need one instance per task and port.".into(),
                        missing: vec![m.clone()],
                    },
                    out,
                );
            }
        }
    }
}

/// Σ desired of the port's services, with one of them at `peak` when given.
fn need(a: &capacity::Analysis, p: &PortDemand, peak_of: Option<usize>) -> (Bound, String) {
    let mut total = Bound::ZERO;
    let mut parts = Vec::new();
    for &j in &p.services {
        let d = &a.services[j];
        let (b, why) = if Some(j) == peak_of {
            (
                d.peak_bound(),
                d.peak
                    .as_ref()
                    .map_or("peak unknown".into(), |c| format!("peak {}", c.why)),
            )
        } else {
            (
                d.desired_bound(),
                d.desired
                    .as_ref()
                    .map_or("desired unknown".into(), |c| c.why.clone()),
            )
        };
        total = total + b;
        parts.push(format!("{} {why}", d.address));
    }
    (total, parts.join(" + "))
}

fn check_port(
    cx: &Context<'_>,
    a: &capacity::Analysis,
    c: &ClusterReport,
    p: &PortDemand,
    out: &mut Vec<Diagnostic>,
) {
    let instances = c.capacity.instances;
    let avail = p.available(instances);
    let port = p.show();
    let holders = p
        .daemons
        .iter()
        .map(|&j| a.services[j].address.clone())
        .collect::<Vec<_>>();
    let inst_words = format!(
        "{} has {} container instances at max size: {}",
        c.label,
        instances.show(),
        c.capacity.describe_instances()
    );
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
        let (total, why) = need(a, p, None);
        if total.hi == Some(0) {
            continue;
        }
        let mut missing: Vec<capacity::Missing> = c.capacity.missing.clone();
        for &j in &p.services {
            if let Err(m) = &a.services[j].desired {
                missing.push(m.clone());
            }
        }
        match compare(total, avail) {
            Verdict::Exceeds => {
                let (message, detail) = if p.daemons.is_empty() {
                    (
                        format!(
                            "{} tasks need host port {port} but {} has only {} instances at max size",
                            total.show(),
                            c.label,
                            instances.show()
                        ),
                        format!("needs {} instances with {port} free ({why}); {inst_words}.", total.show()),
                    )
                } else {
                    (
                        format!(
                            "host port {port} is held on every instance of {} by DAEMON service {}",
                            c.label,
                            holders.join(", ")
                        ),
                        format!(
                            "A DAEMON task runs on every instance and holds {port}; {} tasks of this service ({why}) need it too.",
                            total.show()
                        ),
                    )
                };
                cx.diag(&StaticHostPorts::META, &d.address, message)
                    .severity(Severity::Error)
                    .attribute("desired_count")
                    .detail(detail)
                    .help("Use bridge mode with hostPort = 0 (dynamic ports) or awsvpc, raise max_size, or lower desired_count.")
                    .group(c.label.clone())
                    .discriminator(port.clone())
                    .plan(d.plan)
                    .push(out);
                continue;
            }
            Verdict::Unverifiable => {
                support::push_unverifiable(
                    cx,
                    &StaticHostPorts::META,
                    Unverifiable {
                        address: &d.address,
                        plan: d.plan,
                        attribute: "desired_count",
                        message: format!(
                            "cannot verify that the tasks needing host port {port} fit the instances of {}",
                            c.label
                        ),
                        detail: format!("needs {} ({why}); {inst_words}.", total.show()),
                        missing,
                    },
                    out,
                );
                continue;
            }
            Verdict::Fits => {}
        }
        if d.deploy != DeployKind::Rolling {
            continue;
        }
        let (peak, why) = need(a, p, Some(i));
        match compare(peak, avail) {
            Verdict::Exceeds => {
                cx.diag(
                    &StaticHostPorts::META,
                    &d.address,
                    format!(
                        "a deployment needs {} tasks on host port {port} at its peak but {} has {} instances at max size",
                        peak.show(),
                        c.label,
                        instances.show()
                    ),
                )
                .severity(Severity::Warning)
                .attribute("deployment_maximum_percent")
                .detail(format!("needs {} ({why}); {inst_words}.", peak.show()))
                .help("Lower deployment_maximum_percent, raise max_size above the peak, or switch to dynamic host ports (bridge, hostPort = 0).")
                .discriminator(port.clone())
                .plan(d.plan)
                .push(out);
            }
            Verdict::Unverifiable => {
                let mut m = missing;
                if let Err(e) = &d.peak {
                    m.push(e.clone());
                }
                support::push_unverifiable(
                    cx,
                    &StaticHostPorts::META,
                    Unverifiable {
                        address: &d.address,
                        plan: d.plan,
                        attribute: "deployment_maximum_percent",
                        message: format!(
                            "cannot verify that a deployment's peak on host port {port} fits the instances of {}",
                            c.label
                        ),
                        detail: format!("needs {} ({why}); {inst_words}.", peak.show()),
                        missing: m,
                    },
                    out,
                );
            }
            Verdict::Fits => {}
        }
    }
}
