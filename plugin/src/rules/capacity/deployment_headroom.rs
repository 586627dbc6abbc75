//! NET074: rolling deployments that can neither start nor stop a task, or that must start
//! one first with no ENI or static port free for it.

use crate::capacity::{self, compare, Bound, DeployKind, Involved, Verdict};
use crate::diagnostics::{Diagnostic, Severity};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Unverifiable};

declare_rule! {
    /// ## What it checks
    /// For REPLICA services with the rolling (ECS) deployment controller: ECS may run at
    /// most floor(desired × maximum_percent / 100) tasks and must keep at least
    /// ceil(desired × minimum_healthy_percent / 100) healthy. If the first is ≤ desired and
    /// the second ≥ desired, a deployment can neither start a new task nor stop an old one:
    /// error. If it can only start before stopping (minimum_healthy_percent 100%) and the
    /// cluster has no free ENI slot (awsvpc) or no instance with the static host port free
    /// (host/bridge) even at max size, the deployment cannot make progress: warning.
    ///
    /// ## Why it matters
    /// The deployment hangs and the service event says "unable to stop or start tasks during
    /// a deployment because of the service deployment configuration. Update the
    /// minimumHealthyPercent or maximumPercent value and try again". With static ports or
    /// exhausted ENIs the new task stays unplaced. Source: ECS API reference,
    /// `DeploymentConfiguration` (maximumPercent rounds down, minimumHealthyPercent rounds up);
    /// Amazon ECS developer guide, service event messages.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "api" {
    ///   desired_count                      = 3
    ///   deployment_maximum_percent         = 100   # floor(3 × 1.0) = 3: no extra task
    ///   deployment_minimum_healthy_percent = 100   # ceil(3 × 1.0) = 3: none may stop
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Allow ECS to stop tasks first (`deployment_minimum_healthy_percent` below 100, e.g. 50)
    /// or to start extra ones (`deployment_maximum_percent` high enough that
    /// floor(desired × max / 100) > desired, and capacity for them: raise `max_size`, use
    /// dynamic host ports, or enable ENI trunking).
    pub struct DeploymentHeadroom {
        id: "NET074",
        name: "deployment-headroom",
        severity: Error,
        summary: "A rolling deployment must be able to start or stop at least one task",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html",
    }
}

/// Can a deployment start an extra task / stop one, given what is known?
fn can_start(d: Option<u64>, max: Option<u64>) -> Option<bool> {
    match (d, max) {
        (Some(d), Some(m)) => Some(d.saturating_mul(m) / 100 > d),
        // floor(d × m / 100) > d for every d ≥ 1 when m ≥ 200, and never when m ≤ 100.
        (None, Some(m)) if m >= 200 => Some(true),
        (None, Some(m)) if m <= 100 => Some(false),
        _ => None,
    }
}

fn can_stop(d: Option<u64>, min: Option<u64>) -> Option<bool> {
    match (d, min) {
        (Some(d), Some(m)) => Some(d.saturating_mul(m).div_ceil(100) < d),
        (None, Some(0)) => Some(true),
        (None, Some(m)) if m >= 100 => Some(false),
        _ => None,
    }
}

impl Rule for DeploymentHeadroom {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let a = capacity::memo::analysis(cx.model, cx.assume);
        for (i, d) in a.services.iter().enumerate() {
            if d.daemon || d.deploy != DeployKind::Rolling {
                continue;
            }
            let desired = d.desired.as_ref().ok().map(|c| c.n);
            if desired == Some(0) {
                continue;
            }
            let max = d.maximum_percent.as_ref().ok().map(|c| c.n);
            let min = d.minimum_healthy_percent.as_ref().ok().map(|c| c.n);
            let start = can_start(desired, max);
            let stop = can_stop(desired, min);
            let max_why = d
                .maximum_percent
                .as_ref()
                .map_or("deployment_maximum_percent unknown".into(), |c| {
                    c.why.clone()
                });
            let min_why = d
                .minimum_healthy_percent
                .as_ref()
                .map_or("deployment_minimum_healthy_percent unknown".into(), |c| {
                    c.why.clone()
                });
            match (start, stop) {
                (Some(false), Some(false)) => {
                    let n = desired.unwrap_or(1).max(1);
                    let (mx, mn) = (max.unwrap_or(100), min.unwrap_or(100));
                    let need_max = (n + 1).saturating_mul(100).div_ceil(n);
                    let need_min = (n - 1).saturating_mul(100) / n;
                    cx.diag(
                        &Self::META,
                        &d.address,
                        "a rolling deployment can neither start a new task nor stop an old one",
                    )
                    .severity(Severity::Error)
                    .attribute("deployment_maximum_percent")
                    .detail(match desired {
                        Some(n) => format!(
                            "{max_why}: at most floor({n} × {mx} / 100) = {} tasks, not more than desired {n}; {min_why}: at least ceil({n} × {mn} / 100) = {} must stay healthy.",
                            n.saturating_mul(mx) / 100,
                            n.saturating_mul(mn).div_ceil(100)
                        ),
                        None => format!("{max_why} allows no task above the desired count and {min_why} allows none to stop, whatever the desired count."),
                    })
                    .help(format!(
                        "Set deployment_maximum_percent to at least {need_max} or deployment_minimum_healthy_percent to at most {need_min}."
                    ))
                    .plan(d.plan)
                    .push(out);
                    continue;
                }
                (None, None) | (None, Some(false)) | (Some(false), None) => {
                    let mut missing = Vec::new();
                    for m in [&d.desired, &d.maximum_percent, &d.minimum_healthy_percent]
                        .into_iter()
                        .filter_map(|r| r.as_ref().err())
                    {
                        missing.push(m.clone());
                    }
                    support::push_unverifiable(
                        cx,
                        &Self::META,
                        Unverifiable {
                            address: &d.address,
                            plan: d.plan,
                            attribute: "deployment_maximum_percent",
                            message:
                                "cannot verify that a rolling deployment can start or stop a task"
                                    .into(),
                            detail: format!("{max_why}; {min_why}."),
                            missing,
                        },
                        out,
                    );
                    continue;
                }
                _ => {}
            }
            // It can start but not stop first: there must be room for one more task.
            if !(start == Some(true) && stop == Some(false)) {
                continue;
            }
            headroom(cx, &a, i, &min_why, out);
        }
    }
}

fn headroom(
    cx: &Context<'_>,
    a: &capacity::Analysis,
    i: usize,
    min_why: &str,
    out: &mut Vec<Diagnostic>,
) {
    let d = &a.services[i];
    let Some(c) = a.cluster_of(i) else { return };
    let one = Bound::exact(1);
    if d.eni_on_instances == Involved::Yes {
        let need = a.eni_need(c, None);
        let slots = c.capacity.slots;
        if compare(need.total, slots) == Verdict::Fits {
            match compare(need.total + one, slots) {
                Verdict::Exceeds => {
                    cx.diag(
                        &DeploymentHeadroom::META,
                        &d.address,
                        format!(
                            "a rolling deployment has no free ENI slot on {} to start its first new task",
                            c.label
                        ),
                    )
                    .severity(Severity::Warning)
                    .attribute("deployment_minimum_healthy_percent")
                    .detail(format!(
                        "{min_why} keeps every task running until a new one starts; the cluster's {} slots at max size are all taken ({}): {}.",
                        slots.show(),
                        need.why,
                        c.capacity.describe(&a.trunking)
                    ))
                    .help("Lower deployment_minimum_healthy_percent so ECS can stop a task first, or add ENI capacity (max_size, instance type, ENI trunking).")
                    .plan(d.plan)
                    .push(out);
                }
                Verdict::Unverifiable => {
                    let mut missing = need.missing.clone();
                    missing.extend(support::slot_missing(a, c));
                    support::push_unverifiable(
                        cx,
                        &DeploymentHeadroom::META,
                        Unverifiable {
                            address: &d.address,
                            plan: d.plan,
                            attribute: "deployment_minimum_healthy_percent",
                            message: format!(
                                "cannot verify that {} has a free ENI slot for a rolling deployment",
                                c.label
                            ),
                            detail: format!(
                                "{min_why}; needs {} + 1 ({}), capacity {} slots.",
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
        if compare(p.desired + one, avail) == Verdict::Exceeds {
            cx.diag(
                &DeploymentHeadroom::META,
                &d.address,
                format!(
                    "a rolling deployment has no instance with host port {} free to start its first new task",
                    p.show()
                ),
            )
            .severity(Severity::Warning)
            .attribute("deployment_minimum_healthy_percent")
            .detail(format!(
                "{min_why} keeps every task running until a new one starts; {} tasks hold {} on {} instances at max size ({}).",
                p.desired.show(),
                p.show(),
                c.capacity.instances.show(),
                c.capacity.describe_instances()
            ))
            .help("Lower deployment_minimum_healthy_percent (e.g. 50) so ECS stops a task first, raise max_size, or use dynamic host ports (bridge, hostPort = 0).")
            .discriminator(p.show())
            .plan(d.plan)
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlock_arithmetic() {
        assert_eq!(can_start(Some(3), Some(100)), Some(false));
        assert_eq!(can_stop(Some(3), Some(100)), Some(false));
        // floor(1 × 150 / 100) = 1: no extra task for a single-task service.
        assert_eq!(can_start(Some(1), Some(150)), Some(false));
        assert_eq!(can_start(Some(2), Some(150)), Some(true));
        // ceil(3 × 67 / 100) = ceil(2.01) = 3.
        assert_eq!(can_stop(Some(3), Some(67)), Some(false));
        assert_eq!(can_stop(Some(3), Some(66)), Some(true));
        assert_eq!(can_start(None, Some(200)), Some(true));
        assert_eq!(can_start(None, Some(150)), None);
        assert_eq!(can_stop(None, Some(0)), Some(true));
    }
}
