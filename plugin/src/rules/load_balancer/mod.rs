//! Load balancer rules (NET050-NET056): one file per rule.

use super::service::support::{self, Missing};
use super::{Context, Rule, RuleMeta};
use crate::diagnostics::Diagnostic;
use crate::model::{LoadBalancer, Model, Service, TargetGroup, Val, Verdict};

mod classic_elb_awsvpc;
mod container_port_exists;
mod dynamic_port_health_check;
mod none_not_load_balanced;
mod target_group_limit;
mod target_type_instance;
mod target_type_ip;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &target_type_ip::TargetTypeIp,
        &target_type_instance::TargetTypeInstance,
        &none_not_load_balanced::NoneNotLoadBalanced,
        &container_port_exists::ContainerPortExists,
        &classic_elb_awsvpc::ClassicElbAwsvpc,
        &dynamic_port_health_check::DynamicPortHealthCheck,
        &target_group_limit::TargetGroupLimit,
    ]
}

/// The target group of a `load_balancer` block: `Ok(None)` for a classic load balancer
/// (`elb_name`) or a block without a target group, `Err` when the target group is outside
/// the plan or unknown.
/// How a message names a load balancer's target group: an only-candidate link (the
/// configuration hides it) says so, so that the finding does not read as a certainty.
fn tg_named(lb: &LoadBalancer, tg: &TargetGroup) -> String {
    let guessed = lb
        .target_group
        .as_ref()
        .is_some_and(|l| l.resolved_by == crate::model::Resolution::OnlyCandidate);
    if guessed {
        format!(
            "target group {} (the only one the service can name: the configuration hides the link)",
            tg.address
        )
    } else {
        format!("target group {}", tg.address)
    }
}

fn target_group_of<'a>(
    model: &'a Model,
    lb: &LoadBalancer,
    plan: usize,
) -> Result<Option<&'a TargetGroup>, Missing> {
    let Some(link) = &lb.target_group else {
        return Ok(None);
    };
    match (&link.address, &link.literal) {
        (Some(a), _) => model.target_group_in(a, plan).map(Some).ok_or_else(|| {
            Missing::outside_plan(
                format!("target group {a} is not among the planned resources"),
                "Pass every plan that manages the target group to `ecsnet check`.",
            )
        }),
        (None, Some(l)) => Err(Missing::outside_plan(
            format!("target group {l} is outside the plan"),
            "Manage the aws_lb_target_group in the same plan, or pass the plan that manages it as another PLAN argument to `ecsnet check`.",
        )),
        (None, None) => Err(Missing::of_link(
            link,
            "the target_group_arn is known only after apply and no configuration reference names a target group",
            "Reference the aws_lb_target_group resource directly (target_group_arn = aws_lb_target_group.app.arn) so ecsnet can follow it.",
        )),
    }
}

/// For a `load_balancer` block whose target group the configuration hides among several
/// candidates ([`crate::model::Resolution::OneOfCandidates`]), what every candidate
/// answers to `question` (`None` from it: the input is unknown). `None` for any other
/// link: judge its one target group. `Some(true)` when every candidate answers yes (the
/// rule fires); `Some(false)` when the block is done: every candidate answers no, or they
/// disagree, which is kept in `missing` as block `i`'s missing input.
fn candidates_say(
    model: &Model,
    lb: &LoadBalancer,
    plan: usize,
    i: usize,
    question: impl Fn(&TargetGroup) -> Option<bool>,
    missing: &mut Option<(usize, Missing)>,
) -> Option<bool> {
    let link = lb
        .target_group
        .as_ref()
        .filter(|l| !l.candidates.is_empty())?;
    match link.all(|a| model.target_group_in(a, plan).and_then(&question)) {
        Verdict::All(yes) => Some(yes),
        Verdict::Undecided => {
            missing.get_or_insert((
                i,
                Missing::of_link(
                    link,
                    format!(
                        "the target_group_arn is known only after apply, and the target groups the configuration can name ({}) do not all give the same answer",
                        support::and_list(&link.candidates)
                    ),
                    "Reference the aws_lb_target_group resource directly (target_group_arn = aws_lb_target_group.app.arn) so ecsnet can follow it.",
                ),
            ));
            Some(false)
        }
    }
}

/// Whether ECS registers tasks in the target group by IP (`target_type = "ip"`); `None`
/// when the target type is known only after apply.
fn registers_ip(tg: &TargetGroup) -> Option<bool> {
    match &tg.target_type.val {
        Val::Known(t) => Some(t.eq_ignore_ascii_case("ip")),
        Val::Null => Some(false),
        Val::Unknown => None,
    }
}

/// Whether the target group registers instances: `target_type = "instance"`, or omitted
/// (the provider's default); `None` when known only after apply.
fn registers_instance(tg: &TargetGroup) -> Option<bool> {
    match &tg.target_type.val {
        Val::Known(t) => Some(t.eq_ignore_ascii_case("instance")),
        Val::Null => Some(true),
        Val::Unknown => None,
    }
}

/// What a rule says when every candidate target group of a hidden link fails it.
struct CandidatesFinding {
    message: String,
    detail: &'static str,
    help: &'static str,
}

/// [`candidates_say`] for block `i`, with the finding (`finding` gets how the message
/// names the candidates) pushed when every candidate fails the rule. True when the block is
/// settled this way (failed, passed, or its disagreement kept in `missing`); false when
/// its one target group is to be judged.
#[allow(clippy::too_many_arguments)]
fn settled_by_candidates(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    svc: &Service,
    lb: &LoadBalancer,
    i: usize,
    fails: impl Fn(&TargetGroup) -> Option<bool>,
    missing: &mut Option<(usize, Missing)>,
    out: &mut Vec<Diagnostic>,
    finding: impl FnOnce(&str) -> CandidatesFinding,
) -> bool {
    match candidates_say(cx.model, lb, svc.plan, i, fails, missing) {
        None => false,
        Some(false) => true,
        Some(true) => {
            let all = lb
                .target_group
                .as_ref()
                .map(|l| l.candidates.as_slice())
                .unwrap_or_default();
            let f = finding(&format!(
                "every target group the service can name ({}: the configuration hides the link)",
                support::and_list(all)
            ));
            cx.diag(meta, &svc.address, f.message)
                .attribute(tg_attr(i))
                .detail(f.detail)
                .help(f.help)
                .plan(svc.plan)
                .push(out);
            true
        }
    }
}

/// What a fix should change: the target group resource, or for a data source (an
/// existing group read while planning) the group it reads, managed elsewhere.
fn tg_to_change(tg: &TargetGroup) -> String {
    let data = tg.address.starts_with("data.") || tg.address.contains(".data.");
    if data {
        format!(
            "the target group that {} reads, managed outside this configuration,",
            tg.address
        )
    } else {
        tg.address.clone()
    }
}

/// `load_balancer[i].target_group_arn`.
fn tg_attr(i: usize) -> String {
    format!("load_balancer[{i}].target_group_arn")
}

/// Why a target group's `target_type` cannot be compared: it is known only after apply.
fn target_type_unknown(tg: &TargetGroup) -> Missing {
    Missing::after_apply(
        format!("target_type of {} is known only after apply", tg.address),
        "Set target_type from a literal or a variable known at plan time.",
    )
}

/// The target-type rules (NET050, NET051) for a service whose network mode is unknown: the
/// target type it needs cannot be told, which matters only when a block names a target group.
fn push_mode_unknown(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    svc: &Service,
    lbs: &[LoadBalancer],
    missing: &Missing,
    out: &mut Vec<Diagnostic>,
) {
    if lbs.iter().any(|l| l.target_group.is_some()) {
        out.push(support::unverifiable(
            cx,
            meta,
            svc,
            &tg_attr(0),
            "the target type its network mode needs",
            missing,
        ));
    }
}

/// One unverifiable finding per service, pointing at the first `load_balancer` block whose
/// input could not be read (`missing` holds its index).
fn push_first_missing(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    svc: &Service,
    check: &str,
    missing: Option<(usize, Missing)>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some((i, m)) = missing {
        out.push(support::unverifiable(cx, meta, svc, &tg_attr(i), check, &m));
    }
}

#[cfg(test)]
pub(in crate::rules) mod test_support {
    use crate::model::{Field, Link, LoadBalancer, Resolution};

    /// A `load_balancer` block sending to `container`:`port` through `target_group`.
    pub fn lb(target_group: Option<Link>, container: &str, port: i64) -> LoadBalancer {
        LoadBalancer {
            target_group,
            elb_name: Field::null(),
            container_name: Field::known(container.into()),
            container_port: Field::known(port),
        }
    }

    /// A configuration reference to a planned target group.
    pub fn tg_ref(address: &str) -> Link {
        Link::to_address(address, Resolution::ConfigReference, true)
    }
}
