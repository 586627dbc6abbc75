//! NET076: awsvpc tasks that fit no instance type of the capacity, or not the smallest type
//! of a managed-scaling capacity provider, are never scaled out for.

use crate::capacity::{self, ClusterReport, Involved, SourceCapacity};
use crate::diagnostics::{Diagnostic, Severity};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::Unverified;

declare_rule! {
    /// ## What it checks
    /// For each awsvpc EC2 service, whether any instance type of the capacity its tasks are
    /// placed on (each capacity provider of its strategy, or the whole cluster) can run one
    /// of its tasks: an instance offers `max ENIs − 1` awsvpc slots (or the trunked
    /// limit) minus one per awsvpc DAEMON service. Error when every type has 0 slots (for
    /// example a type whose ENIs are all taken by daemons). Also error when the service uses
    /// a capacity provider with managed scaling whose autoscaling group's *smallest* type
    /// has 0 slots: cluster auto scaling treats the task as incompatible and excludes it
    /// from scale-out.
    ///
    /// ## Why it matters
    /// Amazon ECS managed scaling sizes a group from its smallest instance type: "If the
    /// smallest instance type can't run at least one instance of the task, the calculation
    /// considers the task incompatible ... excluded from the scale-out calculation", and the
    /// tasks stay in PROVISIONING with `CapacityProviderReservation` unchanged. Source:
    /// Amazon ECS developer guide, managed scaling behavior.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "agent" {             # awsvpc DAEMON
    ///   scheduling_strategy = "DAEMON"
    /// }
    /// resource "aws_autoscaling_group" "ecs" {         # m6g.medium: 2 ENIs → 1 slot,
    ///   # taken by the daemon: 0 left for aws_ecs_service.api → NET076
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use instance types with more ENIs (`ecsnet instance-type TYPE`), enable ENI trunking,
    /// move the daemon to `bridge`/`host` mode, or put small types in a separate
    /// autoscaling group and capacity provider that the awsvpc service does not use.
    pub struct Unschedulable {
        id: "NET076",
        name: "task-fits-no-instance-type",
        severity: Error,
        summary: "awsvpc tasks that fit no instance type of the capacity are never placed or scaled out for",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-scaling-behavior.html",
    }
}

fn zero(b: capacity::Bound) -> bool {
    b.hi == Some(0)
}

fn type_list(s: &SourceCapacity) -> String {
    s.types
        .iter()
        .map(|t| format!("{} {}", t.instance_type, t.slots_after_daemons.show()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Rule for Unschedulable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let a = capacity::memo::analysis(cx.model, cx.assume);
        for (i, d) in a.services.iter().enumerate() {
            if d.eni_on_instances != Involved::Yes || d.desired.as_ref().is_ok_and(|c| c.n == 0) {
                continue;
            }
            let Some(c) = a.cluster_of(i) else { continue };
            for pool in a.pools_of(i) {
                if pool_check(cx, &a, c, i, pool, out) {
                    break;
                }
            }
        }
    }
}

/// One pool of a service; true when a finding was made.
fn pool_check(
    cx: &Context<'_>,
    a: &capacity::Analysis,
    c: &ClusterReport,
    i: usize,
    pool: usize,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let d = &a.services[i];
    let p = &c.pools[pool];
    let sources: Vec<&SourceCapacity> = p.sources.iter().map(|&k| &c.capacity.sources[k]).collect();
    if sources.is_empty() {
        return false; // NET070 reports the missing capacity.
    }
    let daemons = &c.capacity.daemons.awsvpc_services;
    let daemon_words = if daemons.is_empty() {
        String::new()
    } else {
        format!(
            " after {} awsvpc DAEMON service(s) ({})",
            daemons.len(),
            daemons.join(", ")
        )
    };
    let known = sources
        .iter()
        .all(|s| s.missing.is_empty() && !s.types.is_empty());
    let all_zero = sources
        .iter()
        .flat_map(|s| &s.types)
        .all(|t| zero(t.slots_after_daemons));
    let per_type = sources
        .iter()
        .map(|s| format!("{}: {}", s.label, type_list(s)))
        .collect::<Vec<_>>()
        .join("; ");
    if all_zero && known {
        cx.diag(
            &Unschedulable::META,
            &d.address,
            format!(
                "no instance type of {} has a free awsvpc ENI slot for this service's tasks",
                p.label
            ),
        )
        .severity(Severity::Error)
        .attribute("desired_count")
        .detail(format!(
            "awsvpc slots per instance{daemon_words}: {per_type}. {}.",
            a.trunking.describe()
        ))
        .help("Use instance types with more ENIs, enable ENI trunking on a supported type, or run the daemon in bridge/host mode.")
        .plan(d.plan)
        .push(out);
        return true;
    }
    if all_zero {
        Unverified {
            address: &d.address,
            plan: d.plan,
            attribute: "desired_count",
            message: format!(
                "cannot verify that any instance type of {} can run this service's awsvpc tasks",
                p.label
            ),
            detail: Some(format!(
                "known types have no free slot{daemon_words}: {per_type}."
            )),
            missing: sources.iter().flat_map(|s| s.missing.clone()).collect(),
        }
        .push(cx, &Unschedulable::META, out);
        return true;
    }
    // Managed scaling sizes a provider's group from its smallest type.
    let mut found = false;
    // A type that is one of several candidates may not be the group's: that needs all zero.
    for s in sources.iter().filter(|s| pool > 0 && !s.one_of_types) {
        let (Some(cp), Some(true)) = (s.capacity_provider.as_deref(), s.managed_scaling) else {
            continue;
        };
        let Some(t) = s.smallest_type() else { continue };
        if !zero(t.slots_after_daemons) {
            continue;
        }
        found = true;
        cx.diag(
            &Unschedulable::META,
            &d.address,
            format!(
                "cluster auto scaling never scales out capacity provider {cp} for this service: its smallest type {} has no free awsvpc slot",
                t.instance_type
            ),
        )
        .severity(Severity::Error)
        .attribute("capacity_provider_strategy")
        .detail(format!(
            "Managed scaling excludes tasks that cannot run on the group's smallest instance type; awsvpc slots per instance{daemon_words} in {}: {}.",
            s.label,
            type_list(s)
        ))
        .help("Remove the small types from the group, or give this service a capacity provider whose smallest type has room.")
        .related(s.label.clone())
        .plan(d.plan)
        .push(out);
    }
    found
}
