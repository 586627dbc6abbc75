//! NET070: awsvpc EC2 tasks against the ENI slots of the capacity they are placed on.

use crate::capacity::{self, compare, Bound, ClusterReport, Need, Pool, TrunkingSetting, Verdict};
use crate::diagnostics::{Diagnostic, Missing, Severity};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Unverified};

declare_rule! {
    /// ## What it checks
    /// The awsvpc tasks of EC2 services against the ENI slots of the instances they can be
    /// placed on, at the autoscaling groups' `max_size`. A service with a capacity provider
    /// strategy (its own, else the cluster's default) is placed only on the groups of its
    /// providers, each taking its share by `base` and `weight`; every provider is judged on
    /// its own. A service without one (launch type EC2) may use any container instance that
    /// registers to the cluster. An instance offers `max ENIs − 1` slots (the primary
    /// interface takes one; every network card counts; a `p5.48xlarge` at most 1, per the
    /// awsvpc considerations of the ECS guide), or the ENI-trunking table's value
    /// when `awsvpcTrunking` applies (never for Windows tasks, nor for instances with
    /// resource-name DNS A records), minus one slot per awsvpc DAEMON service on the cluster.
    /// A mixed-instances group is counted as if every instance were its smallest type. A group
    /// whose launch template the configuration hides among several candidates (a `dynamic
    /// "launch_template"` block over a local) runs one of their types, not known which: it
    /// counts from the candidate with the fewest slots to the one with the most; so does a
    /// capacity provider whose autoscaling group the configuration hides among several
    /// (`auto_scaling_group_arn = each.value.auto_scaling_group_arn`), from the candidate
    /// group with the fewest slots at max size to the one with the most. Error
    /// when the desired counts cannot fit even at max size (and even with the most slots). (Whether a deployment can make
    /// progress is NET074's.) Unknown sizes, types, strategies or settings make the finding
    /// unverifiable, naming the `assume` block that supplies them.
    ///
    /// ## Why it matters
    /// Each awsvpc task on EC2 needs its own ENI on the instance. When none is free, ECS
    /// cannot place the task: the service events say "unable to place a task because no
    /// container instance met all of its requirements ... RESOURCE:ENI" / "Not enough
    /// available ENI attachment points", and tasks stay PENDING (or PROVISIONING, waiting
    /// for their capacity provider: "Amazon ECS selects a capacity provider for each task by
    /// following the capacity provider strategy", managed-scaling-behavior.html; the task
    /// does not move to another provider). Apply succeeds; the outage comes later. Sources:
    /// Amazon ECS developer guide, task networking with awsvpc
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html)
    /// and container-instance-eni.html (c5.large: 3 ENIs, 2 awsvpc tasks); API
    /// CapacityProviderStrategyItem ("for every one task that's run using capacityProviderA,
    /// four tasks would use capacityProviderB"); EC2 `MaximumNetworkInterfaces` per type
    /// (`ecsnet instance-type TYPE`; an `instance_type` block in `.ecsnet.hcl` adds or
    /// corrects a type).
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
    /// (`aws_ecs_account_setting_default` `awsvpcTrunking`, see NET071), change the strategy's
    /// weights so each provider gets what it can hold, lower `desired_count`, or move tasks to
    /// `bridge` mode or Fargate.
    pub struct EniCapacity {
        id: "NET070",
        name: "eni-capacity",
        severity: Error,
        summary: "awsvpc EC2 tasks must fit the ENI slots of their capacity at max size",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html",
    }
}

impl Rule for EniCapacity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let a = capacity::memo::analysis(cx.model, cx.assume);
        for i in 0..a.services.len() {
            if let Some(f) = judge(&a, i) {
                f.push(cx, &a, i, out);
            }
        }
    }
}

/// What NET070 finds for one service.
enum Finding<'a> {
    /// The cluster is unknown at plan time.
    NoCluster(&'a Missing),
    /// The desired tasks cannot fit a pool even at max size.
    Exceeds {
        c: &'a ClusterReport,
        pool: usize,
        need: Need,
    },
    /// Whether they fit depends on unknown inputs.
    Unknown {
        c: &'a ClusterReport,
        pool: usize,
        need: Need,
    },
}

/// Decide for service `i`: the first pool its tasks cannot fit, else the first that cannot
/// be decided.
fn judge(a: &capacity::Analysis, i: usize) -> Option<Finding<'_>> {
    let d = &a.services[i];
    if d.eni_on_instances == capacity::Involved::No || d.desired.as_ref().is_ok_and(|c| c.n == 0) {
        return None;
    }
    let c = match &a.service_cluster[i] {
        Ok(ci) => &a.clusters[*ci],
        Err(m) => return Some(Finding::NoCluster(m)),
    };
    let mut unknown = None;
    for pool in a.pools_of(i) {
        let need = a.eni_need(c, pool, None);
        match compare(need.total, c.pools[pool].slots) {
            Verdict::Exceeds => return Some(Finding::Exceeds { c, pool, need }),
            Verdict::Unverifiable if unknown.is_none() => {
                unknown = Some(Finding::Unknown { c, pool, need })
            }
            _ => {}
        }
    }
    unknown
}

impl Finding<'_> {
    fn push(self, cx: &Context<'_>, a: &capacity::Analysis, i: usize, out: &mut Vec<Diagnostic>) {
        let d = &a.services[i];
        let meta = &EniCapacity::META;
        match self {
            Finding::NoCluster(m) => Unverified {
                address: &d.address,
                plan: d.plan,
                attribute: "cluster",
                message: "cannot verify that the awsvpc tasks fit the cluster's ENI slots: the cluster is unknown".into(),
                detail: Some("ENI slots are counted per cluster.".into()),
                missing: vec![m.clone()],
            }
            .push(cx, meta, out),
            Finding::Exceeds { c, pool, need } => {
                let p = &c.pools[pool];
                let mut detail = support::eni_arithmetic(a, c, pool, &need);
                if p.uncertain {
                    detail.push_str(
                        " (The link from the cluster to some of its capacity is a best guess.)",
                    );
                }
                let mut b = cx
                    .diag(
                        meta,
                        &d.address,
                        format!(
                            "{} awsvpc tasks cannot be placed on {} even at max size: it has {} ENI slots",
                            need.total.show(),
                            p.label,
                            p.slots.show()
                        ),
                    )
                    .severity(Severity::Error)
                    .attribute("desired_count")
                    .detail(detail)
                    .help(help(a, c, p, need.total))
                    .group(p.label.clone())
                    .plan(d.plan);
                for r in support::pool_addresses(c, p) {
                    b = b.related(r);
                }
                b.push(out);
            }
            Finding::Unknown { c, pool, need } => {
                let p = &c.pools[pool];
                let trunk_only = matches!(a.trunking, TrunkingSetting::Unknown { .. })
                    && compare(need.total, p.slots_without_trunking) == Verdict::Exceeds
                    && p.missing.is_empty()
                    && need.missing.is_empty();
                let message = if trunk_only {
                    format!(
                        "{} awsvpc tasks fit {} only if awsvpcTrunking is enabled: {} slots without it, {} with it",
                        need.total.show(),
                        p.label,
                        p.slots_without_trunking.show(),
                        p.slots_with_trunking.show()
                    )
                } else {
                    format!(
                        "cannot verify that {} awsvpc tasks fit the ENI slots of {}",
                        need.total.show(),
                        p.label
                    )
                };
                let mut missing = need.missing.clone();
                missing.extend(support::slot_missing(a, p));
                if missing.is_empty() {
                    // The slots are a lower bound: a type's trunked limit is not in
                    // ecsnet's table (AWS's fact, which no plan holds; NET071 says more).
                    for t in p
                        .sources
                        .iter()
                        .flat_map(|&s| &c.capacity.sources[s].types)
                        .filter(|t| t.with_trunking.is_none() && t.trunking_status == "unknown")
                    {
                        missing.push(crate::capacity::Missing::outside_plan(
                            format!(
                                "the trunked awsvpc task limit of {} (no usable value in ecsnet's trunking table)",
                                t.instance_type
                            ),
                            format!(
                                "the type's limit in .ecsnet.hcl: {}",
                                crate::instances::override_example(&t.instance_type)
                            ),
                        ));
                    }
                }
                if missing.is_empty() && need.total.hi != Some(need.total.lo) {
                    // Every input is known: the range is the strategy's weighted split, and
                    // which provider each task lands on is ECS's choice when it places them.
                    missing.push(crate::capacity::Missing::after_apply(
                        format!(
                            "how ECS splits these tasks between the strategy's capacity providers, so how many of them {} gets (the weights give shares, which ECS rounds when it places the tasks)",
                            p.label
                        ),
                        "a capacity provider strategy with base counts that cover the tasks, or capacity for the upper count",
                    ));
                }
                Unverified {
                    address: &d.address,
                    plan: d.plan,
                    attribute: "desired_count",
                    message,
                    detail: Some(support::eni_arithmetic(a, c, pool, &need)),
                    missing,
                }
                .push(cx, meta, out);
            }
        }
    }
}

fn help(a: &capacity::Analysis, c: &ClusterReport, p: &Pool, need: Bound) -> String {
    let mut help = "Raise max_size or use an instance type with more ENIs, lower desired_count, or run the tasks on Fargate or in bridge mode.".to_string();
    // With other providers on the cluster, the strategy can send fewer tasks here.
    if p.provider.is_some() && c.pools.len() > 2 {
        help = format!("Give this capacity provider a smaller share (base and weight) or more capacity. {help}");
    }
    let old = p.launched_before(&c.capacity);
    if !old.is_empty() && compare(need, p.slots_with_trunking) == Verdict::Fits {
        help = format!(
            "Replace the running instances of {} so that they get the trunk ({}): then {} has {} slots. Otherwise: {help}",
            old.join(", "),
            crate::capacity::trunking::REPLACE_INSTANCES,
            if p.provider.is_some() { "the provider" } else { "the cluster" },
            p.slots_with_trunking.show()
        );
    }
    if !a.trunking.is_enabled() && compare(need, p.slots_with_trunking) == Verdict::Fits {
        help = format!(
            "Enable ENI trunking (aws_ecs_account_setting_default \"awsvpcTrunking\" = \"enabled\", then replace the instances): with it {} has {} slots. Otherwise: {help}",
            if p.provider.is_some() { "the provider" } else { "the cluster" },
            p.slots_with_trunking.show()
        );
    }
    help
}
