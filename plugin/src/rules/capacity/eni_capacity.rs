//! NET070: awsvpc EC2 tasks against the cluster's ENI slots at max size.

use crate::capacity::{self, compare, DeployKind, Involved, Phase, TrunkingSetting, Verdict};
use crate::diagnostics::{Diagnostic, Severity};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Unverifiable};

declare_rule! {
    /// ## What it checks
    /// For every cluster, the awsvpc tasks of all its EC2 services against the ENI slots of
    /// its container instances at the autoscaling groups' `max_size`. An instance offers
    /// `max ENIs − 1` slots (the primary interface takes one; every network card counts; a
    /// `p5.48xlarge` at most 1, per the awsvpc considerations of the ECS guide), or the
    /// ENI-trunking table's value when `awsvpcTrunking` applies, minus one slot per
    /// awsvpc DAEMON service on the cluster. A mixed-instances group is counted as if every
    /// instance were its smallest type. Error when the desired counts cannot fit even at max
    /// size; warning when a rolling deployment's peak, floor(desired × maximum_percent / 100)
    /// (default 200%), cannot. Unknown sizes, types or settings make the finding
    /// unverifiable, naming the `assume` block that supplies them.
    ///
    /// ## Why it matters
    /// Each awsvpc task on EC2 needs its own ENI on the instance. When none is free, ECS
    /// cannot place the task: the service events say "unable to place a task because no
    /// container instance met all of its requirements ... RESOURCE:ENI" / "Not enough
    /// available ENI attachment points", and tasks stay PENDING. Apply succeeds; the outage
    /// comes later. Sources: Amazon ECS developer guide, task networking with awsvpc
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html)
    /// and container-instance-eni.html (c5.large: 3 ENIs, 2 awsvpc tasks); EC2
    /// `MaximumNetworkInterfaces` per instance type (`ecsnet instance-type TYPE`; an
    /// `instance_type` block in `.ecsnet.hcl` adds or corrects a type).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_autoscaling_group" "ecs" {
    ///   max_size = 3                       # c5.large: 3 ENIs → 2 awsvpc tasks each
    /// }
    /// resource "aws_ecs_service" "api" {
    ///   desired_count = 8                  # 8 > 3 × 2 = 6 slots: NET070 error
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Raise the group's `max_size`, use an instance type with more ENIs, enable ENI trunking
    /// (`aws_ecs_account_setting_default` `awsvpcTrunking`, see NET071), lower
    /// `desired_count`, or move tasks to `bridge` mode or Fargate. For the peak warning, lower
    /// `deployment_maximum_percent` or leave room for the deployment.
    pub struct EniCapacity {
        id: "NET070",
        name: "eni-capacity",
        severity: Error,
        summary: "awsvpc EC2 tasks must fit the ENI slots of the cluster's instances at max size",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html",
    }
}

impl Rule for EniCapacity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let a = capacity::memo::analysis(cx.model, cx.assume);
        check(cx, &a, out);
    }
}

pub(super) fn check(cx: &Context<'_>, a: &capacity::Analysis, out: &mut Vec<Diagnostic>) {
    for (i, d) in a.services.iter().enumerate() {
        if d.eni_on_instances == Involved::No {
            continue;
        }
        // Nothing to place.
        if d.desired.as_ref().is_ok_and(|c| c.n == 0) && d.peak.as_ref().is_ok_and(|c| c.n == 0) {
            continue;
        }
        let c = match &a.service_cluster[i] {
            Ok(ci) => &a.clusters[*ci],
            Err(m) => {
                support::push_unverifiable(
                    cx,
                    &EniCapacity::META,
                    Unverifiable {
                        address: &d.address,
                        plan: d.plan,
                        attribute: "cluster",
                        message: "cannot verify that the awsvpc tasks fit the cluster's ENI slots: the cluster is unknown".into(),
                        detail: "ENI slots are counted per cluster.".into(),
                        missing: vec![m.clone()],
                    },
                    out,
                );
                continue;
            }
        };
        let slots = c.capacity.slots;
        let arithmetic = c.capacity.describe(&a.trunking);
        let need = a.eni_need(c, None);
        let with_trunking = c.capacity.slots_with_trunking;
        match compare(need.total, slots) {
            Verdict::Exceeds => {
                let mut help = "Raise max_size or use an instance type with more ENIs, lower desired_count, or run the tasks on Fargate or in bridge mode.".to_string();
                if !a.trunking.is_enabled() && compare(need.total, with_trunking) == Verdict::Fits {
                    help = format!(
                        "Enable ENI trunking (aws_ecs_account_setting_default \"awsvpcTrunking\" = \"enabled\", then replace the instances): with it the cluster has {} slots. Otherwise: {help}",
                        with_trunking.show()
                    );
                }
                let mut detail = format!(
                    "needs {} awsvpc task ENIs ({}), cluster {} capacity {} slots at max size: {}.",
                    need.total.show(),
                    need.why,
                    c.label,
                    slots.show(),
                    arithmetic
                );
                if c.capacity.uncertain {
                    detail.push_str(
                        " (The link from the cluster to some of its capacity is a best guess.)",
                    );
                }
                let mut b = cx
                    .diag(
                        &EniCapacity::META,
                        &d.address,
                        format!(
                            "{} awsvpc tasks cannot be placed on {} even at max size: it has {} ENI slots",
                            need.total.show(),
                            c.label,
                            slots.show()
                        ),
                    )
                    .severity(Severity::Error)
                    .attribute("desired_count")
                    .detail(detail)
                    .help(help)
                    .group(c.label.clone())
                    .plan(d.plan);
                for s in &c.capacity.sources {
                    if let Some(addr) = &s.address {
                        b = b.related(addr.clone());
                    }
                }
                b.push(out);
                continue;
            }
            Verdict::Unverifiable => {
                let mut missing = need.missing.clone();
                missing.extend(support::slot_missing(a, c));
                let trunk_only = matches!(a.trunking, TrunkingSetting::Unknown { .. })
                    && compare(need.total, c.capacity.slots_without_trunking) == Verdict::Exceeds
                    && c.capacity.missing.is_empty()
                    && need.missing.is_empty();
                let message = if trunk_only {
                    format!(
                        "{} awsvpc tasks fit {} only if awsvpcTrunking is enabled: {} slots without it, {} with it",
                        need.total.show(),
                        c.label,
                        c.capacity.slots_without_trunking.show(),
                        with_trunking.show()
                    )
                } else {
                    format!(
                        "cannot verify that {} awsvpc tasks fit the ENI slots of {}",
                        need.total.show(),
                        c.label
                    )
                };
                support::push_unverifiable(
                    cx,
                    &EniCapacity::META,
                    Unverifiable {
                        address: &d.address,
                        plan: d.plan,
                        attribute: "desired_count",
                        message,
                        detail: format!(
                            "needs {} ({}), cluster capacity {} slots: {}.",
                            need.total.show(),
                            need.why,
                            slots.show(),
                            arithmetic
                        ),
                        missing,
                    },
                    out,
                );
                continue;
            }
            Verdict::Fits => {}
        }
        // Desired fits: what about a rolling deployment's peak? (Blue/green: NET075.)
        if d.deploy != DeployKind::Rolling && d.deploy != DeployKind::Unknown {
            continue;
        }
        let peak = a.eni_need(c, Some((i, Phase::Peak)));
        match compare(peak.total, slots) {
            Verdict::Exceeds => {
                cx.diag(
                    &EniCapacity::META,
                    &d.address,
                    format!(
                        "a deployment needs {} awsvpc tasks at its peak but {} has {} ENI slots at max size",
                        peak.total.show(),
                        c.label,
                        slots.show()
                    ),
                )
                .severity(Severity::Warning)
                .attribute("deployment_maximum_percent")
                .detail(format!(
                    "needs {} tasks ({}), cluster capacity {} slots: {}.",
                    peak.total.show(),
                    peak.why,
                    slots.show(),
                    arithmetic
                ))
                .help("Lower deployment_maximum_percent (the deployment then replaces tasks in smaller batches), raise max_size, or enable ENI trunking.")
                .plan(d.plan)
                .push(out);
            }
            Verdict::Unverifiable => {
                let mut missing = peak.missing.clone();
                missing.extend(support::slot_missing(a, c));
                support::push_unverifiable(
                    cx,
                    &EniCapacity::META,
                    Unverifiable {
                        address: &d.address,
                        plan: d.plan,
                        attribute: "deployment_maximum_percent",
                        message: if peak.total.hi.is_none() && peak.total.lo == 0 {
                            format!(
                                "cannot verify that a deployment's peak fits the ENI slots of {}",
                                c.label
                            )
                        } else {
                            format!(
                                "cannot verify that a deployment's peak of {} awsvpc tasks fits the ENI slots of {}",
                                peak.total.show(),
                                c.label
                            )
                        },
                        detail: format!(
                            "needs {} ({}), cluster capacity {} slots: {}.",
                            peak.total.show(),
                            peak.why,
                            slots.show(),
                            arithmetic
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
