//! NET071: ENI trunking applies only when enabled, supported by the type, and not blocked
//! by the launch template; suggest it when it would fix a NET070 error.

use crate::capacity::{self, compare, Involved, SourceCapacity, Verdict};
use crate::diagnostics::Diagnostic;
use crate::instances::{Trunking, TRUNKING_DOC_URL};
use crate::model::CapacityKind as Kind;
use crate::rules::{Context, Rule, RuleMeta};

use super::support::Unverified;

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
    /// limit (`awsvpc_tasks_trunked`). The instances must not get resource-name DNS A
    /// records: the launch template's
    /// `private_dns_name_options.enable_resource_name_dns_a_record`, or, when the template
    /// does not set it, the `enable_resource_name_dns_a_record_on_launch` of the subnets they
    /// launch into. Capacity running Windows tasks gets no trunk at all (trunking is for
    /// Linux container instances). When the plan turns the setting on (disabled in the prior
    /// state, enabled in the plan) but keeps a group's or instance's running instances (no
    /// replacement, no instance refresh started by the change), those keep the untrunked
    /// limit: a warning on the group when the tasks do not fit them, with the arithmetic.
    /// When trunking is disabled and a NET070 error would be
    /// fixed by it, the rule says so, with the slots with and without trunking, for the
    /// capacity provider (or cluster) concerned.
    ///
    /// ## Why it matters
    /// With trunking a c5.large runs 10 awsvpc tasks instead of 2. But the raised limit only
    /// applies to supported types, to Linux instances launched after the setting was enabled
    /// for the principal that registers them (the instance role or the account default),
    /// and to instances with resource-based IPv4 DNS requests turned off; otherwise the
    /// instance keeps its regular ENI limit or fails to register (`REGISTRATION_FAILED`).
    /// Source: Amazon ECS developer guide, "Increasing Amazon ECS Linux container instance
    /// network interfaces" (container-instance-eni.html): "When you use these instance types
    /// and turn on the awsvpcTrunking account setting, additional ENIs are available on newly
    /// launched container instances." And its supported-instance table;
    /// its considerations: "Only Linux variants of the Amazon ECS-optimized AMI, or other
    /// Amazon Linux variants ... are supported" (no trunk on Windows). A subnet's
    /// `EnableResourceNameDnsARecordOnLaunch` sets "the type of hostnames to assign to
    /// instances in the subnet at launch" (EC2 API, PrivateDnsNameOptionsOnLaunch), which a
    /// launch template's `PrivateDnsNameOptions` overrides.
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
    /// `enable_resource_name_dns_a_record = false` in the launch template (it overrides the
    /// subnet's `enable_resource_name_dns_a_record_on_launch`), and replace instances
    /// launched before the setting was enabled: in the same change, an `instance_refresh`
    /// block on the group with `version = aws_launch_template.NAME.latest_version` (a
    /// refresh does not start on `$Latest`), or a new group. To gain slots, enable the setting:
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
            let awsvpc = |i: &usize| a.services[*i].eni_on_instances != Involved::No;
            if !c.services.iter().any(awsvpc) {
                continue;
            }
            if a.trunking.is_enabled() {
                for (k, s) in c.capacity.sources.iter().enumerate() {
                    enabled_source(cx, &a, c, k, s, out);
                }
            } else if a.trunking.is_disabled() {
                for (pool, p) in c.pools.iter().enumerate() {
                    let need = a.eni_need(c, pool, None);
                    if compare(need.total, p.slots) != Verdict::Exceeds
                        || compare(need.total, p.slots_with_trunking) != Verdict::Fits
                    {
                        continue;
                    }
                    for &i in c.services.iter().filter(|i| awsvpc(i)) {
                        if a.pools_of(i).contains(&pool) {
                            would_fit(cx, &a, c, pool, &need, i, out);
                        }
                    }
                }
            }
        }
    }
}

/// "enabling awsvpcTrunking would fit the awsvpc tasks of <pool>".
fn would_fit(
    cx: &Context<'_>,
    a: &capacity::Analysis,
    c: &capacity::ClusterReport,
    pool: usize,
    need: &capacity::Need,
    i: usize,
    out: &mut Vec<Diagnostic>,
) {
    let d = &a.services[i];
    let p = &c.pools[pool];
    let mut b = cx
        .diag(
            &EniTrunking::META,
            &d.address,
            format!(
                "enabling awsvpcTrunking would fit the awsvpc tasks of {}: {} ENI slots without it, {} with it, {} needed",
                p.label,
                p.slots_without_trunking.show(),
                p.slots_with_trunking.show(),
                need.total.show()
            ),
        )
        .attribute("desired_count")
        .detail(format!(
            "{}; needs {} ({}). Capacity: {}.",
            a.trunking.describe(),
            need.total.show(),
            need.why,
            p.describe(&c.capacity, &a.trunking)
        ))
        .help(format!(
            "Set aws_ecs_account_setting_default \"awsvpcTrunking\" to \"enabled\" (or enable it for the container instance role), then replace the container instances: only instances launched afterwards get the trunk interface.{}",
            dns_note(&p.dns_a_records(&c.capacity))
        ))
        .group(p.label.clone())
        .plan(d.plan);
    if let capacity::TrunkingSetting::Disabled { by } = &a.trunking {
        if by.starts_with("aws_ecs_account_setting_default") {
            b = b.related(by.clone());
        }
    }
    b.push(out);
}

/// Launch templates or subnets that would block trunking once enabled.
fn dns_note(on: &[String]) -> String {
    if on.is_empty() {
        String::new()
    } else {
        format!(
            " Also turn resource-name DNS A records off (private_dns_name_options.enable_resource_name_dns_a_record = false in the launch template) for the instances of {}.",
            on.join(", ")
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
    k: usize,
    s: &SourceCapacity,
    out: &mut Vec<Diagnostic>,
) {
    let address = s.address.as_deref().unwrap_or(&c.label);
    let plan = c.plan;
    // The source's own pool (its capacity provider's), else the whole cluster.
    let pool = c
        .pools
        .iter()
        .rposition(|p| p.sources.contains(&k))
        .unwrap_or(0);
    let p = &c.pools[pool];
    let need = a.eni_need(c, pool, None);
    if let Some(lb) = &s.launched_before {
        // Only worth saying when the old instances leave the tasks short.
        if lb.certain && compare(need.total, p.slots) == Verdict::Exceeds {
            launched_before(cx, c, s, lb, address, (p, &need), out);
        }
    }
    if let Some(why) = &s.no_trunk {
        // Only worth saying when the untrunked slots are not enough.
        let short = compare(need.total, p.slots_without_trunking) != Verdict::Fits;
        if short && s.types.iter().any(|t| t.with_trunking.is_some()) {
            cx.diag(
                &EniTrunking::META,
                address,
                format!(
                    "awsvpcTrunking is enabled but {address} runs Windows tasks: its instances keep their regular ENI limit"
                ),
            )
            .attribute(source_attribute(s))
            .detail(format!(
                "{why} (container-instance-eni.html: \"Increasing Amazon ECS Linux container instance network interfaces\"). {} needs {} awsvpc task ENIs; {} slots without trunking.",
                p.label,
                need.total.show(),
                p.slots_without_trunking.show()
            ))
            .help("Plan the Windows capacity for its untrunked limit (max_size, instance type), or run the tasks on Linux.")
            .plan(plan)
            .push(out);
        }
        return;
    }
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
                if compare(need.total, p.slots_without_trunking) == Verdict::Fits {
                    continue;
                }
                Unverified {
                    address,
                    plan,
                    attribute: source_attribute(s),
                    message: format!(
                        "the trunked awsvpc task limit of {} is unknown; without trunking it has {without} slots",
                        t.instance_type
                    ),
                    detail: Some(format!(
                        "{} needs {} awsvpc task ENIs ({}); without trunking it has {} slots.",
                        p.label,
                        need.total.show(),
                        need.why,
                        p.slots_without_trunking.show()
                    )),
                    // AWS's facts about the type, which no plan holds.
                    missing: vec![capacity::Missing::outside_plan(
                        reason.clone(),
                        format!(
                            "the type's trunked limit from {TRUNKING_DOC_URL} stated in .ecsnet.hcl, e.g. `instance_type \"{}\" {{ awsvpc_tasks_trunked = 10 }}` with the documented number, or an instance type the ECS trunking table lists (`ecsnet instance-type TYPE`)",
                            t.instance_type
                        ),
                    )],
                }
                .push(cx, &EniTrunking::META, out);
            }
        }
    }
    if trunk_may_apply {
        if let Some(dns) = &s.dns_a_record_on {
            dns_blocks_trunk(cx, c, s, dns, address, out);
        }
    }
}

/// This plan turns awsvpcTrunking on but keeps the running instances of `s`, which keep
/// the untrunked limit, and the tasks do not fit them.
fn launched_before(
    cx: &Context<'_>,
    c: &capacity::ClusterReport,
    s: &SourceCapacity,
    lb: &capacity::LaunchedBefore,
    address: &str,
    (p, need): (&capacity::Pool, &capacity::Need),
    out: &mut Vec<Diagnostic>,
) {
    let n = lb.instances.show();
    let mut b = cx
        .diag(
        &EniTrunking::META,
        address,
        format!(
            "awsvpcTrunking is turned on by this plan, but the {n} running instance{} of {address} {} not replaced: {} keep{} {} awsvpc slots each until {} replaced",
            if n == "1" { "" } else { "s" },
            if n == "1" { "is" } else { "are" },
            if n == "1" { "it" } else { "they" },
            if n == "1" { "s" } else { "" },
            s.per_instance_without_trunking.show(),
            if n == "1" { "it is" } else { "they are" },
        ),
    )
    .attribute(source_attribute(s))
    .detail(format!(
        "ECS attaches the trunk interface only to container instances launched after the setting is on (container-instance-eni.html: additional ENIs \"are available on newly launched container instances\"). {}. {} needs {} awsvpc task ENIs ({}); with the running instances it has {} slots{}; once they are replaced, {}.",
        lb.why,
        p.label,
        need.total.show(),
        need.why,
        p.slots.show(),
        s.launched_before_arithmetic()
            .map_or(String::new(), |a| format!(" ({address}: {a})")),
        p.slots_with_trunking.show()
    ))
    .help(format!(
        "Replace the running instances so that they get the trunk: {}.",
        capacity::trunking::REPLACE_INSTANCES
    ))
    .plan(c.plan);
    if let Some(by) = &cx.model.account_settings.awsvpc_trunking_address {
        b = b.related(by.clone());
    }
    b.push(out);
}

/// The instances of `s` get resource-name DNS A records, which ENI trunking needs off.
fn dns_blocks_trunk(
    cx: &Context<'_>,
    c: &capacity::ClusterReport,
    s: &SourceCapacity,
    dns: &capacity::cluster::DnsARecord,
    address: &str,
    out: &mut Vec<Diagnostic>,
) {
    let with: Vec<String> = s
        .types
        .iter()
        .filter_map(|t| {
            t.with_trunking
                .map(|w| format!("{} would take {w} with trunking", t.instance_type))
        })
        .collect();
    let (at, attribute, message, help) = if dns.from_subnets {
        (
            address.to_string(),
            "vpc_zone_identifier",
            format!(
                "awsvpcTrunking needs resource-based IPv4 DNS A records turned off, but {} turn{} them on for the instances it launches, and its launch template does not override it",
                dns.by.join(", "),
                if dns.by.len() == 1 { "s" } else { "" }
            ),
            "Set private_dns_name_options { enable_resource_name_dns_a_record = false } in the launch template, or enable_resource_name_dns_a_record_on_launch = false on the subnets.",
        )
    } else {
        (
            dns.by.join(", "),
            "private_dns_name_options[0].enable_resource_name_dns_a_record",
            "awsvpcTrunking needs resource-based IPv4 DNS A records turned off, but this launch template turns them on".to_string(),
            "Set private_dns_name_options { enable_resource_name_dns_a_record = false } in the launch template.",
        )
    };
    let mut b = cx
        .diag(&EniTrunking::META, &at, message)
        .attribute(attribute)
        .detail(format!(
            "The ECS documentation requires container instances using ENI trunking to have resource-based IPv4 DNS requests turned off; instances of {} ({}) may fail to register or keep their untrunked limit ({} awsvpc slots in total without trunking{}).",
            address,
            dns.describe(),
            c.pools[0].slots_without_trunking.show(),
            if with.is_empty() {
                String::new()
            } else {
                format!("; {}", with.join(", "))
            }
        ))
        .help(help)
        .plan(c.plan);
    if dns.from_subnets {
        for sn in &dns.by {
            b = b.related(sn.clone());
        }
    } else {
        b = b.related(address.to_string());
    }
    b.push(out);
}
