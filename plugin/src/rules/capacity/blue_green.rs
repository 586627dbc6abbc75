//! NET075: blue/green deployments run both revisions at full size.

use crate::capacity::{self, compare, DeployKind, Involved, Phase, Verdict};
use crate::diagnostics::Diagnostic;
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Unverifiable};

declare_rule! {
    /// ## What it checks
    /// Services deployed blue/green (`deployment_controller { type = "CODE_DEPLOY" }`, or the
    /// ECS-native `BLUE_GREEN`, `LINEAR` and `CANARY` strategies) start the whole new task set
    /// before the old one stops, so for the length of the traffic shift and bake time they
    /// need twice their desired count: ENI slots for awsvpc tasks on EC2 and instances with
    /// the static host ports free for host/bridge tasks, at the cluster's max size, next to
    /// the other services' desired tasks. Warning when twice the tasks do not fit. (Subnet
    /// addresses for the doubled tasks are checked by NET072.)
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
            if d.eni_on_instances != Involved::No {
                let steady = a.eni_need(c, None);
                // NET070 reports when even the desired count does not fit.
                if compare(steady.total, c.capacity.slots) == Verdict::Fits {
                    let need = a.eni_need(c, Some((i, Phase::Peak)));
                    let slots = c.capacity.slots;
                    match compare(need.total, slots) {
                        Verdict::Exceeds => cx
                            .diag(
                                &Self::META,
                                &d.address,
                                format!(
                                    "a blue/green deployment needs {} awsvpc tasks but {} has {} ENI slots at max size",
                                    need.total.show(),
                                    c.label,
                                    slots.show()
                                ),
                            )
                            .attribute("deployment_controller")
                            .detail(format!(
                                "needs {} ({}), cluster capacity {} slots: {}.",
                                need.total.show(),
                                need.why,
                                slots.show(),
                                c.capacity.describe(&a.trunking)
                            ))
                            .help("Raise max_size so both task sets fit, enable ENI trunking, or run the service on Fargate.")
                            .plan(d.plan)
                            .push(out),
                        Verdict::Unverifiable => {
                            let mut missing = need.missing.clone();
                            missing.extend(support::slot_missing(&a, c));
                            support::push_unverifiable(
                                cx,
                                &Self::META,
                                Unverifiable {
                                    address: &d.address,
                                    plan: d.plan,
                                    attribute: "deployment_controller",
                                    message: format!(
                                        "cannot verify that {} has ENI slots for both task sets of a blue/green deployment",
                                        c.label
                                    ),
                                    detail: format!(
                                        "needs {} ({}), capacity {} slots.",
                                        need.total.show(),
                                        need.why,
                                        slots.show()
                                    ),
                                    missing,
                                },
                                out,
                            );
                        }
                        Verdict::Fits => {}
                    }
                }
            }
            for p in c.ports.iter().filter(|p| p.services.contains(&i)) {
                let avail = p.available(c.capacity.instances);
                if compare(p.desired, avail) != Verdict::Fits {
                    continue; // NET073 reports it.
                }
                let need = p.desired + d.desired_bound();
                if compare(need, avail) == Verdict::Exceeds {
                    cx.diag(
                        &Self::META,
                        &d.address,
                        format!(
                            "a blue/green deployment needs host port {} on {} instances but {} has {} at max size",
                            p.show(),
                            need.show(),
                            c.label,
                            c.capacity.instances.show()
                        ),
                    )
                    .attribute("deployment_controller")
                    .detail(format!(
                        "{} tasks hold {} in steady state and the replacement set adds {} ({}); instances: {}.",
                        p.desired.show(),
                        p.show(),
                        d.desired_bound().show(),
                        d.deploy_why,
                        c.capacity.describe_instances()
                    ))
                    .help("Use dynamic host ports (bridge, hostPort = 0) or awsvpc, or raise max_size so both task sets fit.")
                    .plan(d.plan)
                    .push(out);
                }
            }
        }
    }
}
