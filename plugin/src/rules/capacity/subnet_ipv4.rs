//! NET072: awsvpc tasks (EC2 and Fargate) and instances against subnet IPv4 addresses.

use std::collections::HashMap;

use crate::capacity::{self, compare, Need, SubnetKey, SubnetPhase, SubnetTotals, Verdict};
use crate::diagnostics::{Diagnostic, Severity};
use crate::rules::{Context, Rule, RuleMeta};

use crate::plan::SeededHash;

use super::support::Unverified;
use crate::rules::unverified::MissingWords;

declare_rule! {
    /// ## What it checks
    /// Every awsvpc task, on EC2 or Fargate, takes one private IPv4 address from its subnet
    /// (unless the subnet is IPv6-only). A subnet offers 2^(32 − prefix) − 5 addresses (AWS
    /// reserves the first four and the last), or the `free_addresses` an `assume subnet`
    /// block gives. Demand is every awsvpc service using the subnet, spread evenly over each
    /// service's subnets, plus the instances the plan puts there (autoscaling groups at max
    /// size, or at most the `max_instances` of an `assume cluster` block that describes their
    /// cluster). The deployment model for subnets shared by several services: a service's
    /// deployment runs its peak (floor(desired × maximum_percent / 100), twice the desired
    /// count for blue/green) while the others stay at their desired count. Error when the
    /// desired counts, or this service's peak next to the others' desired counts, cannot fit
    /// in the service's subnets together; warning when only all of them deploying at once
    /// would not fit, or when one subnet's even share does not. A subnet list the configuration
    /// hides among several candidate subnets (a `dynamic "network_configuration"` block over
    /// a local) passes when this service's peak fits in every candidate alone next to its
    /// other users; otherwise it is unverifiable, naming the candidates.
    ///
    /// ## Why it matters
    /// When a subnet runs out of addresses the task cannot get its ENI: tasks stop with
    /// `InsufficientFreeAddressesInSubnet` while RunTask and the deployment report success.
    /// Unlike a task waiting for an ENI slot or a port, the failed tasks count against the
    /// deployment circuit breaker. Sources: Amazon VPC user guide, subnet sizing (5 reserved
    /// addresses per subnet); Amazon ECS developer guide, task networking with awsvpc (each
    /// task ENI gets a private IPv4 address); ECS API `DeploymentConfiguration.maximumPercent`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_subnet" "a" { cidr_block = "10.0.1.0/28" }   # 16 − 5 = 11 usable
    /// resource "aws_ecs_service" "api" {
    ///   desired_count = 8                  # peak 16 > 11: NET072 error
    ///   network_configuration { subnets = [aws_subnet.a.id] }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use larger subnets or more of them, lower `deployment_maximum_percent`, or lower the
    /// desired count. Addresses used by things outside the plan (load balancers, endpoints,
    /// other instances) are not counted: give `subnet "subnet-…" { free_addresses = 200 }` inside `assume`
    /// for existing subnets.
    pub struct SubnetIpv4 {
        id: "NET072",
        name: "subnet-ipv4-exhaustion",
        severity: Error,
        summary: "awsvpc tasks at their deployment peak must fit the subnets' usable IPv4 addresses",
        url: "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
    }
}

const ATTR: &str = "network_configuration[0].subnets";

/// What NET072 needs of one subnet set, whichever of its services asks.
struct SetFacts {
    /// The set without its IPv6-only subnets.
    v4: Vec<SubnetKey>,
    /// `None` when every subnet is IPv6-only: no IPv4 address is taken.
    totals: Option<SubnetTotals>,
    usable: Need,
    /// The subnets' labels, comma-separated.
    names: String,
    /// Each subnet of `v4` alone: its totals and usable addresses (when asked).
    each: Option<Vec<(SubnetTotals, Need)>>,
    /// The words for `usable.missing` alone (when asked).
    unknown_sizes: Option<MissingWords>,
}

impl SetFacts {
    fn of(a: &capacity::Analysis, keys: &[SubnetKey]) -> SetFacts {
        let v4: Vec<SubnetKey> = keys
            .iter()
            .filter(|k| !a.subnets.get(*k).is_some_and(|s| s.ipv6_only))
            .cloned()
            .collect();
        let totals = (!v4.is_empty()).then(|| a.subnet_totals(&v4));
        let usable = a.subnet_usable(&v4);
        let names = v4
            .iter()
            .map(SubnetKey::label)
            .collect::<Vec<_>>()
            .join(", ");
        SetFacts {
            v4,
            totals,
            usable,
            names,
            each: None,
            unknown_sizes: None,
        }
    }
}

impl Rule for SubnetIpv4 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let a = capacity::memo::analysis(cx.model, cx.assume);
        // Services of one module usually share their subnets: what depends on the set
        // alone is worked out once per set.
        let mut sets: HashMap<&[SubnetKey], SetFacts, SeededHash> = HashMap::default();
        for (i, d) in a.services.iter().enumerate() {
            let Some(keys) = &a.service_subnets[i] else {
                continue;
            };
            let tasks = if d.daemon {
                capacity::Bound::unknown()
            } else {
                d.peak_bound()
            };
            if tasks.hi == Some(0) {
                continue;
            }
            // Hidden among several subnets: passes when the tasks fit even in the least
            // roomy candidate alone.
            let candidates = cx.model.services[i]
                .network_configuration
                .get()
                .and_then(|c| c.as_ref())
                .and_then(|c| c.subnet_candidates.as_ref());
            if let (Err(_), Some(c)) = (keys, candidates) {
                if a.fits_in_every_candidate_subnet(cx.model, cx.assume, c, d.plan, tasks)
                    == Verdict::Fits
                {
                    continue;
                }
            }
            let keys = match keys {
                Ok(k) => k,
                Err(m) => {
                    Unverified {
                        address: &d.address,
                        plan: d.plan,
                        attribute: ATTR,
                        message: match candidates {
                            Some(c) => format!(
                                "cannot verify the subnets have enough IPv4 addresses: the configuration hides which of {} they are, and not every one is known to hold the tasks alone",
                                c.candidates.join(", ")
                            ),
                            None => "cannot verify the subnets have enough IPv4 addresses: the subnets are unknown".into(),
                        },
                        detail: Some("Each awsvpc task takes one address in its subnet.".into()),
                        missing: vec![m.clone()],
                    }
                    .push(cx, &SubnetIpv4::META, out);
                    continue;
                }
            };
            let set = sets
                .entry(keys.as_slice())
                .or_insert_with(|| SetFacts::of(&a, keys));
            let SetFacts {
                v4,
                totals: Some(totals),
                usable,
                names,
                each,
                unknown_sizes,
            } = set
            else {
                continue;
            };
            let v4 = v4.as_slice();
            let steady_total = totals.total(SubnetPhase::Steady);
            // The total first: the arithmetic text only when there is something to say.
            let peak_total = totals.total(SubnetPhase::Deploying(i));
            let detail = |need: &capacity::Need| {
                format!(
                    "needs {} addresses in {names} ({}); usable {} ({}).",
                    need.total.show(),
                    need.why,
                    usable.total.show(),
                    usable.why
                )
            };
            let fix = "Use larger or more subnets, lower deployment_maximum_percent or desired_count; give `subnet \"SUBNET-ID\" { free_addresses = 200 }` blocks inside `assume` in .ecsnet.hcl if the subnets already hold other addresses.";
            if compare(steady_total, usable.total) == Verdict::Exceeds {
                let steady = a.subnet_need(v4, SubnetPhase::Steady);
                cx.diag(
                    &SubnetIpv4::META,
                    &d.address,
                    format!(
                        "the subnets cannot hold the desired tasks: {} IPv4 addresses needed, {} usable",
                        steady.total.show(),
                        usable.total.show()
                    ),
                )
                .severity(Severity::Error)
                .attribute(ATTR)
                .detail(detail(&steady))
                .help(fix)
                .group(names.clone())
                .plan(d.plan)
                .push(out);
                continue;
            }
            match compare(peak_total, usable.total) {
                Verdict::Exceeds => {
                    let peak = a.subnet_need_of(totals, SubnetPhase::Deploying(i));
                    cx.diag(
                        &SubnetIpv4::META,
                        &d.address,
                        format!(
                            "the subnets run out of IPv4 addresses at this service's deployment peak: {} needed, {} usable",
                            peak.total.show(),
                            usable.total.show()
                        ),
                    )
                    .severity(Severity::Error)
                    .attribute(ATTR)
                    .detail(detail(&peak))
                    .help(fix)
                    .group(names.clone())
                    .plan(d.plan)
                    .push(out);
                    continue;
                }
                Verdict::Unverifiable => {
                    let peak = a.subnet_need_of(totals, SubnetPhase::Deploying(i));
                    let finding = Unverified {
                        address: &d.address,
                        plan: d.plan,
                        attribute: ATTR,
                        message: format!(
                            "cannot verify that the subnets ({names}) have enough IPv4 addresses for the deployment peak"
                        ),
                        detail: Some(detail(&peak)),
                        missing: Vec::new(),
                    };
                    // Usually only the subnets' sizes are missing: the same words for
                    // every service of the set.
                    let words = if peak.missing.is_empty() {
                        unknown_sizes
                            .get_or_insert_with(|| MissingWords::new(usable.missing.clone()))
                            .clone()
                    } else {
                        MissingWords::new(peak.missing.into_iter().chain(usable.missing.clone()))
                    };
                    out.push(finding.build_worded(cx, &SubnetIpv4::META, words));
                    continue;
                }
                Verdict::Fits => {}
            }
            // Each deployment alone fits; all of them at once?
            if compare(totals.total(SubnetPhase::AllDeploying), usable.total) == Verdict::Exceeds {
                let all = a.subnet_need(v4, SubnetPhase::AllDeploying);
                cx.diag(
                    &SubnetIpv4::META,
                    &d.address,
                    format!(
                        "the subnets run out of IPv4 addresses if every service in them deploys at once: {} needed, {} usable",
                        all.total.show(),
                        usable.total.show()
                    ),
                )
                .severity(Severity::Warning)
                .attribute(ATTR)
                .detail(format!(
                    "Each service's own deployment fits next to the others' desired tasks; all deployment peaks together do not: {}",
                    detail(&all)
                ))
                .help("Deploy the services one after the other, or use larger or more subnets.")
                .plan(d.plan)
                .push(out);
                continue;
            }
            // Together they fit; does each subnet's even share?
            if v4.len() < 2 {
                continue;
            }
            let each = each.get_or_insert_with(|| {
                v4.iter()
                    .map(|k| {
                        let one = std::slice::from_ref(k);
                        (a.subnet_totals(one), a.subnet_usable(one))
                    })
                    .collect()
            });
            for (k, (one, room)) in v4.iter().zip(each.iter()) {
                let share_total = one.total(SubnetPhase::Deploying(i));
                if compare(share_total, room.total) == Verdict::Exceeds {
                    let share = a.subnet_need_of(one, SubnetPhase::Deploying(i));
                    cx.diag(
                        &SubnetIpv4::META,
                        &d.address,
                        format!(
                            "subnet {} cannot hold its even share of the deployment peak: {} addresses needed, {} usable",
                            k.label(),
                            share.total.show(),
                            room.total.show()
                        ),
                    )
                    .severity(Severity::Warning)
                    .attribute(ATTR)
                    .detail(format!(
                        "ECS spreads tasks across the service's subnets' Availability Zones; {} gets {} ({}); usable {} ({}).",
                        k.label(),
                        share.total.show(),
                        share.why,
                        room.total.show(),
                        room.why
                    ))
                    .help("Balance subnet sizes across Availability Zones, or use a larger subnet in this zone.")
                    .related(k.label().to_string())
                    .group(k.label().to_string())
                    .discriminator(k.label().to_string())
                    .plan(d.plan)
                    .push(out);
                }
            }
        }
    }
}
