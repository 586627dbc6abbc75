//! NET075: blue/green deployments run both revisions at full size.

use crate::capacity::{self, compare, ClusterReport, DeployKind, Deploying, Involved, Verdict};
use crate::diagnostics::Diagnostic;
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Unverified};

declare_rule! {
    /// ## What it checks
    /// Services deployed blue/green (`deployment_controller { type = "CODE_DEPLOY" }`, or the
    /// ECS-native `BLUE_GREEN`, `LINEAR` and `CANARY` strategies) start the whole new task set
    /// before the old one stops, so for the length of the traffic shift and bake time they
    /// need twice their desired count: ENI slots for awsvpc tasks on EC2 and instances with
    /// the static host ports free for host/bridge tasks, at max size, on the capacity their
    /// tasks are placed on (each capacity provider of the strategy with its share, or the
    /// whole cluster), next to the other services' desired tasks. Warning when twice the
    /// tasks do not fit. (Subnet addresses for the doubled tasks are checked by NET072.)
    ///
    /// ## Why it matters
    /// The replacement task set cannot be placed, and the deployment fails or waits for
    /// capacity that never comes. Sources: ECS API `DeploymentConfiguration.strategy` and
    /// `bakeTimeInMinutes`; Amazon ECS developer guide, blue/green deployments with CodeDeploy.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "api" {
    ///   desired_count = 4                         # needs 8 during the switch
    ///   deployment_controller { type = "CODE_DEPLOY" }
    /// }
    /// # cluster: 3 × c5.large at 2 awsvpc slots = 6 < 8: NET075
    /// ```
    ///
    /// ## How to fix
    /// Raise the capacity's `max_size` (cluster auto scaling can add the instances for the
    /// switch), enable ENI trunking, use dynamic host ports, or run the service on Fargate.
    pub struct BlueGreenCapacity {
        id: "NET075",
        name: "blue-green-capacity",
        severity: Warning,
        summary: "Blue/green deployments need capacity for twice the desired tasks",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html",
    }
}

impl Rule for BlueGreenCapacity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let a = capacity::memo::analysis(cx.model, cx.assume);
        for (i, d) in a.services.iter().enumerate() {
            if d.deploy != DeployKind::BlueGreen || d.daemon {
                continue;
            }
            if d.desired.as_ref().is_ok_and(|c| c.n == 0) {
                continue;
            }
            let Some(c) = a.cluster_of(i) else { continue };
            let both = a.peak(i);
            for pool in a.pools_of(i) {
                if d.eni_on_instances != Involved::No {
                    eni(cx, &a, c, i, pool, &both, out);
                }
                ports(cx, &a, c, i, pool, &both, out);
            }
        }
    }
}

/// Both task sets against the pool's ENI slots (NET070 reports when even the desired
/// count does not fit).
fn eni(
    cx: &Context<'_>,
    a: &capacity::Analysis,
    c: &ClusterReport,
    i: usize,
    pool: usize,
    both: &Deploying,
    out: &mut Vec<Diagnostic>,
) {
    let d = &a.services[i];
    let p = &c.pools[pool];
    if compare(a.eni_need(c, pool, None).total, p.slots) != Verdict::Fits {
        return;
    }
    let need = a.eni_need(c, pool, Some(both));
    match compare(need.total, p.slots) {
        Verdict::Exceeds => cx
            .diag(
                &BlueGreenCapacity::META,
                &d.address,
                format!(
                    "a blue/green deployment needs {} awsvpc tasks but {} has {} ENI slots at max size",
                    need.total.show(),
                    p.label,
                    p.slots.show()
                ),
            )
            .attribute("deployment_controller")
            .detail(support::eni_arithmetic(a, c, pool, &need))
            .help("Raise max_size so both task sets fit, enable ENI trunking, or run the service on Fargate.")
            .plan(d.plan)
            .push(out),
        Verdict::Unverifiable => {
            let mut missing = need.missing.clone();
            missing.extend(support::slot_missing(a, p));
            Unverified {
                address: &d.address,
                plan: d.plan,
                attribute: "deployment_controller",
                message: format!(
                    "cannot verify that {} has ENI slots for both task sets of a blue/green deployment",
                    p.label
                ),
                detail: Some(format!(
                    "needs {} ({}), capacity {} slots.",
                    need.total.show(),
                    need.why,
                    p.slots.show()
                )),
                missing,
            }
            .push(cx, &BlueGreenCapacity::META, out);
        }
        Verdict::Fits => {}
    }
}

/// Both task sets against the instances with each static port free.
fn ports(
    cx: &Context<'_>,
    a: &capacity::Analysis,
    c: &ClusterReport,
    i: usize,
    pool: usize,
    both: &Deploying,
    out: &mut Vec<Diagnostic>,
) {
    let d = &a.services[i];
    let p = &c.pools[pool];
    for port in c.ports.iter().filter(|port| port.services.contains(&i)) {
        let avail = port.available(p.instances);
        let steady = a.port_need(port, pool, None);
        if compare(steady.total, avail) != Verdict::Fits {
            continue; // NET073 reports it.
        }
        let need = a.port_need(port, pool, Some(both));
        if compare(need.total, avail) == Verdict::Exceeds {
            cx.diag(
                &BlueGreenCapacity::META,
                &d.address,
                format!(
                    "a blue/green deployment needs host port {} on {} instances but {} has {} at max size",
                    port.show(),
                    need.total.show(),
                    p.label,
                    p.instances.show()
                ),
            )
            .attribute("deployment_controller")
            .detail(format!(
                "{} tasks hold {} in steady state and the replacement set adds {} ({}); instances: {}.",
                steady.total.show(),
                port.show(),
                d.desired_bound().show(),
                d.deploy_why,
                p.describe_instances(&c.capacity)
            ))
            .help("Use dynamic host ports (bridge, hostPort = 0) or awsvpc, or raise max_size so both task sets fit.")
            .plan(d.plan)
            .push(out);
        }
    }
}
