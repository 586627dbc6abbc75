//! NET074: rolling deployments that can make no progress: the configuration lets them
//! neither start nor stop a task, or the capacity has no room for the tasks they must run
//! at once.

use std::collections::HashMap;

use crate::capacity::{
    self, compare, ClusterReport, DeployKind, Involved, Need, PortDemand, Verdict,
};
use crate::diagnostics::{Diagnostic, Severity};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Unverified};

declare_rule! {
    /// ## What it checks
    /// For REPLICA services with the rolling (ECS) deployment controller: ECS may run at
    /// most floor(desired × maximum_percent / 100) tasks and must keep at least
    /// ceil(desired × minimum_healthy_percent / 100) healthy. If the first is ≤ desired and
    /// the second ≥ desired, a deployment can neither start a new task nor stop an old one:
    /// error.
    ///
    /// Otherwise the deployment model is: ECS may stop old tasks down to the minimum before
    /// it starts new ones, so a deployment makes progress as long as the capacity its tasks
    /// are placed on (the whole cluster, or each capacity provider of its strategy with its
    /// share) holds ceil(desired × minimum_healthy_percent / 100) + 1 of its tasks next to
    /// the other services' desired tasks: ENI slots for awsvpc tasks, instances with the
    /// static host port free for host/bridge tasks, at max size. A deployment whose peak
    /// (maximum_percent) does not fit but that can make progress is not a finding: it
    /// replaces tasks in smaller batches. One that cannot is an error (a warning when the
    /// link to the capacity is a best guess). Unknown percents or capacity make it
    /// unverifiable.
    ///
    /// ## Why it matters
    /// The deployment hangs and the service event says "unable to stop or start tasks during
    /// a deployment because of the service deployment configuration. Update the
    /// minimumHealthyPercent or maximumPercent value and try again"; with static ports or
    /// exhausted ENIs the new task stays unplaced ("is already using a port required by your
    /// task"). Sources: ECS API reference, `DeploymentConfiguration` (maximumPercent rounds
    /// down, minimumHealthyPercent rounds up: "if your service has a desiredCount of four
    /// tasks and a minimumHealthyPercent of 50%, the service scheduler may stop two existing
    /// tasks to free up cluster capacity before starting two new tasks"); Amazon ECS
    /// developer guide, service event messages.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "api" {
    ///   desired_count                      = 3
    ///   deployment_maximum_percent         = 100   # floor(3 × 1.0) = 3: no extra task
    ///   deployment_minimum_healthy_percent = 100   # ceil(3 × 1.0) = 3: none may stop
    /// }
    /// # Or: desired_count 6 on 3 × c5.large (6 ENI slots), minimum_healthy_percent 100:
    /// # the deployment needs room for 7 tasks and has 6.
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
        summary: "A rolling deployment must be able to make progress: start or stop a task, with room for one more",
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

/// What NET074 finds for one service.
enum Finding<'a> {
    /// The percents let a deployment neither start nor stop a task.
    Deadlock,
    /// The percents cannot be read.
    PercentsUnknown,
    /// No ENI slot for the tasks a deployment must run at once.
    NoEniRoom {
        c: &'a ClusterReport,
        pool: usize,
        need: Need,
    },
    /// No instance with the static port free for them.
    NoPortRoom {
        c: &'a ClusterReport,
        pool: usize,
        port: &'a PortDemand,
        need: Need,
    },
    /// The ENI room cannot be decided.
    EniRoomUnknown {
        c: &'a ClusterReport,
        pool: usize,
        need: Need,
    },
}

impl Rule for DeploymentHeadroom {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let a = capacity::memo::analysis(cx.model, cx.assume);
        let mut steady = SteadyEniFit::default();
        for i in 0..a.services.len() {
            for f in judge(&a, i, &mut steady) {
                f.push(cx, &a, i, out);
            }
        }
    }
}

/// Whether the desired tasks' ENIs fit pool `pool` of cluster `cluster` (by index), per
/// cluster and pool: the same for every service judged there, and the sum runs over all
/// the cluster's services (asking it per service was quadratic in a cluster's services).
#[derive(Default)]
struct SteadyEniFit(HashMap<(usize, usize), bool>);

impl SteadyEniFit {
    fn fits(&mut self, a: &capacity::Analysis, cluster: usize, pool: usize) -> bool {
        *self.0.entry((cluster, pool)).or_insert_with(|| {
            let c = &a.clusters[cluster];
            compare(a.eni_need(c, pool, None).total, c.pools[pool].slots) == Verdict::Fits
        })
    }
}

fn judge<'a>(a: &'a capacity::Analysis, i: usize, steady: &mut SteadyEniFit) -> Vec<Finding<'a>> {
    let d = &a.services[i];
    if d.daemon || d.deploy != DeployKind::Rolling {
        return vec![];
    }
    let desired = d.desired.as_ref().ok().map(|c| c.n);
    if desired == Some(0) {
        return vec![];
    }
    let max = d.maximum_percent.as_ref().ok().map(|c| c.n);
    let min = d.minimum_healthy_percent.as_ref().ok().map(|c| c.n);
    match (can_start(desired, max), can_stop(desired, min)) {
        (Some(false), Some(false)) => return vec![Finding::Deadlock],
        (None, None) | (None, Some(false)) | (Some(false), None) => {
            return vec![Finding::PercentsUnknown]
        }
        _ => {}
    }
    let Ok(&ci) = a.service_cluster[i].as_ref() else {
        return vec![];
    };
    let c = &a.clusters[ci];
    let progress = a.progress(i);
    let pools = a.pools_of(i);
    // When the desired tasks do not fit (or may not), NET070 and NET073 say so.
    let eni_fits =
        d.eni_on_instances == Involved::Yes && pools.iter().all(|&p| steady.fits(a, ci, p));
    let mut found = Vec::new();
    for pool in pools {
        let slots = c.pools[pool].slots;
        if eni_fits {
            let need = a.eni_need(c, pool, Some(&progress));
            match compare(need.total, slots) {
                Verdict::Exceeds => found.push(Finding::NoEniRoom { c, pool, need }),
                Verdict::Unverifiable => found.push(Finding::EniRoomUnknown { c, pool, need }),
                Verdict::Fits => {}
            }
        }
        let instances = c.pools[pool].instances;
        for port in c.ports.iter().filter(|p| p.services.contains(&i)) {
            let avail = port.available(instances);
            // NET073 reports desired counts that do not fit.
            if compare(a.port_need(port, pool, None).total, avail) != Verdict::Fits {
                continue;
            }
            let need = a.port_need(port, pool, Some(&progress));
            if compare(need.total, avail) == Verdict::Exceeds {
                found.push(Finding::NoPortRoom {
                    c,
                    pool,
                    port,
                    need,
                });
            }
        }
    }
    found
}

/// Error when the capacity is certainly linked, warning when the link is a best guess.
fn certainty(c: &ClusterReport, pool: usize) -> Severity {
    if c.pools[pool].uncertain {
        Severity::Warning
    } else {
        Severity::Error
    }
}

impl Finding<'_> {
    fn push(self, cx: &Context<'_>, a: &capacity::Analysis, i: usize, out: &mut Vec<Diagnostic>) {
        let d = &a.services[i];
        let meta = &DeploymentHeadroom::META;
        let why = |r: &Result<capacity::Counted, capacity::Missing>, attr: &str| {
            r.as_ref()
                .map_or(format!("{attr} unknown"), |c| c.why.clone())
        };
        let max_why = why(&d.maximum_percent, "deployment_maximum_percent");
        let min_why = why(
            &d.minimum_healthy_percent,
            "deployment_minimum_healthy_percent",
        );
        match self {
            Finding::Deadlock => {
                let desired = d.desired.as_ref().ok().map(|c| c.n);
                let n = desired.unwrap_or(1).max(1);
                let mx = d.maximum_percent.as_ref().map_or(100, |c| c.n);
                let mn = d.minimum_healthy_percent.as_ref().map_or(100, |c| c.n);
                let need_max = (n + 1).saturating_mul(100).div_ceil(n);
                let need_min = (n - 1).saturating_mul(100) / n;
                cx.diag(
                    meta,
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
            }
            Finding::PercentsUnknown => Unverified {
                address: &d.address,
                plan: d.plan,
                attribute: "deployment_maximum_percent",
                message: "cannot verify that a rolling deployment can start or stop a task".into(),
                detail: Some(format!("{max_why}; {min_why}.")),
                missing: [&d.desired, &d.maximum_percent, &d.minimum_healthy_percent]
                    .into_iter()
                    .filter_map(|r| r.as_ref().err().cloned())
                    .collect(),
            }
            .push(cx, meta, out),
            Finding::NoEniRoom { c, pool, need } => {
                let p = &c.pools[pool];
                cx.diag(
                    meta,
                    &d.address,
                    format!(
                        "a rolling deployment cannot make progress: {} has no ENI slot for a new task while it keeps the old ones the minimum healthy percent requires",
                        p.label
                    ),
                )
                .severity(certainty(c, pool))
                .attribute("deployment_minimum_healthy_percent")
                .detail(format!(
                    "{min_why} keeps tasks running until new ones start; at once, a deployment {}",
                    support::eni_arithmetic(a, c, pool, &need)
                ))
                .help("Lower deployment_minimum_healthy_percent so ECS can stop a task first, or add ENI capacity (max_size, instance type, ENI trunking).")
                .discriminator(p.label.clone())
                .plan(d.plan)
                .push(out);
            }
            Finding::NoPortRoom {
                c,
                pool,
                port,
                need,
            } => {
                let p = &c.pools[pool];
                cx.diag(
                    meta,
                    &d.address,
                    format!(
                        "a rolling deployment cannot make progress: no instance of {} has host port {} free for a new task",
                        p.label,
                        port.show()
                    ),
                )
                .severity(certainty(c, pool))
                .attribute("deployment_minimum_healthy_percent")
                .detail(format!(
                    "{min_why} keeps tasks running until new ones start; a deployment needs {} instances with {} free at once ({}), {} has {} at max size: {}.",
                    need.total.show(),
                    port.show(),
                    need.why,
                    support::capacity_of(p, pool),
                    p.instances.show(),
                    p.describe_instances(&c.capacity)
                ))
                .help("Lower deployment_minimum_healthy_percent (e.g. 50) so ECS stops a task first, raise max_size, or use dynamic host ports (bridge, hostPort = 0).")
                .discriminator(format!("{} {}", p.label, port.show()))
                .plan(d.plan)
                .push(out);
            }
            Finding::EniRoomUnknown { c, pool, need } => {
                let p = &c.pools[pool];
                let mut missing = need.missing.clone();
                missing.extend(support::slot_missing(a, p));
                Unverified {
                    address: &d.address,
                    plan: d.plan,
                    attribute: "deployment_minimum_healthy_percent",
                    message: format!(
                        "cannot verify that {} has room for a rolling deployment to make progress",
                        p.label
                    ),
                    detail: Some(format!(
                        "{min_why}; needs {} ({}), capacity {} slots.",
                        need.total.show(),
                        need.why,
                        p.slots.show()
                    )),
                    missing,
                }
                .push(cx, meta, out);
            }
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
