//! NET071: ENI trunking applies only when enabled, supported by the type, and not blocked
//! by the launch template; suggest it when it would fix a NET070 error.

use crate::capacity::{self, compare, Involved, SourceCapacity, Verdict};
use crate::diagnostics::Diagnostic;
use crate::instances::{Trunking, TRUNKING_DOC_URL};
use crate::model::CapacityKind as Kind;
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Unverifiable};

declare_rule! {
    /// ## What it checks
    /// When the `awsvpcTrunking` account setting is enabled (an
    /// `aws_ecs_account_setting_default` in the plan, or `assume { awsvpc_trunking = true }`),
    /// every instance type of a cluster running awsvpc EC2 tasks must support ENI trunking:
    /// it must be in the ECS trunking table (2023-04-18) and not in the page's "not
    /// supported" list. Not supported, a warning: the listed types and families, the
    /// burstable t2/t3/t3a/t4g, types that existed when the table was published but have no
    /// row, rows whose trunked limit is below the untrunked one, and `p5.48xlarge` (one
    /// awsvpc task per instance, trunked or not). Unknown, an unverifiable note only when the
    /// untrunked slots are not enough: types newer than the table and `i4i.large` (an
    /// impossible row). An `instance_type` block in `.ecsnet.hcl` can state a type's trunked
    /// limit (`awsvpc_tasks_trunked`). The launch template must leave
    /// `private_dns_name_options.enable_resource_name_dns_a_record` false. When trunking is
    /// disabled and a NET070 error would be fixed by it, the rule says so, with the slots
    /// with and without trunking.
    ///
    /// ## Why it matters
    /// With trunking a c5.large runs 10 awsvpc tasks instead of 2. But the raised limit only
    /// applies to supported types, to Linux instances launched after the setting was enabled
    /// for the principal that registers them (the instance role or the account default),
    /// and to instances with resource-based IPv4 DNS requests turned off; otherwise the
    /// instance keeps its regular ENI limit or fails to register (`REGISTRATION_FAILED`).
    /// Source: Amazon ECS developer guide, "Increasing Amazon ECS Linux container instance
    /// network interfaces" (container-instance-eni.html) and its supported-instance table.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_account_setting_default" "trunking" {
    ///   name  = "awsvpcTrunking"
    ///   value = "enabled"
    /// }
    /// resource "aws_launch_template" "ecs" {
    ///   instance_type = "c5n.large"       # c5n is not supported: still 2 tasks, NET071
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use a supported instance type (`ecsnet instance-type TYPE` shows the facts), set
    /// `enable_resource_name_dns_a_record = false`, and replace instances launched before the
    /// setting was enabled. To gain slots, enable the setting:
    /// ```hcl
    /// resource "aws_ecs_account_setting_default" "trunking" {
    ///   name  = "awsvpcTrunking"
    ///   value = "enabled"
    /// }
    /// ```
    pub struct EniTrunking {
        id: "NET071",
        name: "eni-trunking",
        severity: Warning,
        summary: "ENI trunking raises awsvpc slots only on supported types with the setting enabled",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html",
    }
}

impl Rule for EniTrunking {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let a = capacity::memo::analysis(cx.model, cx.assume);
        for c in &a.clusters {
            let awsvpc_services: Vec<usize> = c
                .services
                .iter()
                .copied()
                .filter(|&i| a.services[i].eni_on_instances != Involved::No)
                .collect();
            if awsvpc_services.is_empty() {
                continue;
            }
            let need = a.eni_need(c, None);
            if a.trunking.is_enabled() {
                for s in &c.capacity.sources {
                    enabled_source(cx, &a, c, s, need.total, out);
                }
            } else if a.trunking.is_disabled() {
                let cap = &c.capacity;
                if compare(need.total, cap.slots) == Verdict::Exceeds
                    && compare(need.total, cap.slots_with_trunking) == Verdict::Fits
                {
                    for &i in &awsvpc_services {
                        let d = &a.services[i];
                        let mut b = cx
                            .diag(
                                &EniTrunking::META,
                                &d.address,
                                format!(
                                    "enabling awsvpcTrunking would fit the awsvpc tasks of {}: {} ENI slots without it, {} with it, {} needed",
                                    c.label,
                                    cap.slots_without_trunking.show(),
                                    cap.slots_with_trunking.show(),
                                    need.total.show()
                                ),
                            )
                            .attribute("desired_count")
                            .detail(format!(
                                "{}; needs {} ({}). Capacity: {}.",
                                a.trunking.describe(),
                                need.total.show(),
                                need.why,
                                cap.describe(&a.trunking)
                            ))
                            .help(format!(
                                "Set aws_ecs_account_setting_default \"awsvpcTrunking\" to \"enabled\" (or enable it for the container instance role), then replace the container instances: only instances launched afterwards get the trunk interface.{}",
                                dns_note(cap)
                            ))
                            .group(c.label.clone())
                            .plan(d.plan);
                        if let capacity::TrunkingSetting::Disabled { by } = &a.trunking {
                            if by.starts_with("aws_ecs_account_setting_default") {
                                b = b.related(by.clone());
                            }
                        }
                        b.push(out);
                    }
                }
            }
        }
    }
}

/// Launch templates that would block trunking once enabled.
fn dns_note(cap: &capacity::ClusterCapacity) -> String {
    let lts: Vec<&str> = cap
        .sources
        .iter()
        .filter_map(|s| s.dns_a_record_on.as_deref())
        .collect();
    if lts.is_empty() {
        String::new()
    } else {
        format!(
            " Also set private_dns_name_options.enable_resource_name_dns_a_record = false in {}.",
            lts.join(", ")
        )
    }
}

fn source_attribute(s: &SourceCapacity) -> &'static str {
    match s.kind {
        Kind::Instance => "instance_type",
        _ => "launch_template",
    }
}

fn enabled_source(
    cx: &Context<'_>,
    a: &capacity::Analysis,
    c: &capacity::ClusterReport,
    s: &SourceCapacity,
    need: capacity::Bound,
    out: &mut Vec<Diagnostic>,
) {
    let address = s.address.as_deref().unwrap_or(&c.label);
    let plan = c.plan;
    let mut trunk_may_apply = false;
    for t in &s.types {
        let Some(f) = t.facts.as_deref() else {
            continue;
        };
        let without = f.awsvpc_slots_without_trunking();
        match &f.trunking {
            Trunking::Supported { .. } => trunk_may_apply = true,
            Trunking::Unsupported { reason, source } => {
                cx.diag(
                    &EniTrunking::META,
                    address,
                    format!(
                        "awsvpcTrunking is enabled but {} does not support ENI trunking: it keeps {} awsvpc slots per instance",
                        t.instance_type, without
                    ),
                )
                .attribute(source_attribute(s))
                .detail(format!(
                    "{reason} (source: {source}). {} = {without} slots, for {}.",
                    f.untrunked_arithmetic(),
                    c.label
                ))
                .help(format!(
                    "Use an instance type the ECS trunking table supports (see {TRUNKING_DOC_URL}; `ecsnet instance-type TYPE` shows ecsnet's facts), or plan capacity for {without} tasks per instance."
                ))
                .plan(plan)
                .push(out);
            }
            Trunking::Unknown { reason } => {
                trunk_may_apply = true;
                // Only worth saying when the untrunked slots might not be enough.
                if compare(need, c.capacity.slots_without_trunking) == Verdict::Fits {
                    continue;
                }
                support::push_unverifiable(
                    cx,
                    &EniTrunking::META,
                    Unverifiable {
                        address,
                        plan,
                        attribute: source_attribute(s),
                        message: format!(
                            "the trunked awsvpc task limit of {} is unknown; without trunking it has {without} slots",
                            t.instance_type
                        ),
                        detail: format!(
                            "{} needs {} awsvpc task ENIs ({}); without trunking the cluster has {} slots.",
                            c.label,
                            need.show(),
                            a.eni_need(c, None).why,
                            c.capacity.slots_without_trunking.show()
                        ),
                        missing: vec![capacity::Missing {
                            what: reason.clone(),
                            supply: format!(
                                "the type's trunked limit from {TRUNKING_DOC_URL} stated in .ecsnet.hcl, e.g. `instance_type \"{}\" {{ awsvpc_tasks_trunked = 10 }}` with the documented number, or an instance type the ECS trunking table lists (`ecsnet instance-type TYPE`)",
                                t.instance_type
                            ),
                        }],
                    },
                    out,
                );
            }
        }
    }
    if trunk_may_apply {
        if let Some(lt) = &s.dns_a_record_on {
            let with: Vec<String> = s
                .types
                .iter()
                .filter_map(|t| {
                    t.with_trunking
                        .map(|w| format!("{} would take {w} with trunking", t.instance_type))
                })
                .collect();
            cx.diag(
                &EniTrunking::META,
                lt,
                "awsvpcTrunking needs resource-based IPv4 DNS A records turned off, but this launch template turns them on",
            )
            .attribute("private_dns_name_options[0].enable_resource_name_dns_a_record")
            .detail(format!(
                "The ECS documentation requires container instances using ENI trunking to have resource-based IPv4 DNS requests turned off; instances of {} may fail to register or keep their untrunked limit ({} awsvpc slots in total without trunking{}).",
                address,
                c.capacity.slots_without_trunking.show(),
                if with.is_empty() {
                    String::new()
                } else {
                    format!("; {}", with.join(", "))
                }
            ))
            .help("Set private_dns_name_options { enable_resource_name_dns_a_record = false } in the launch template.")
            .plan(plan)
            .related(address.to_string())
            .push(out);
        }
    }
}
