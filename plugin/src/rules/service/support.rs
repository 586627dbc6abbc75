//! Lookups shared by the service-wiring rule groups (service, load_balancer, discovery,
//! daemon, ipv6): a service's task definition and network mode, its subnets and cluster,
//! and how a missing input becomes a single unverifiable finding.
//!
//! Everything here answers "known, or why not": a rule either gets the value it needs or a
//! [`Missing`] that says what could not be read and how the user can supply it.

use crate::config::SubnetAssumption;
use crate::diagnostics::Diagnostic;
use crate::model::arn::cluster_name;
use crate::model::{
    AwsvpcConfiguration, Cluster, Launch, Link, Model, NetworkMode, Resolution, Service,
    ServiceMode, Subnet, TaskDefinition,
};
use crate::rules::{Context, RuleMeta};

// What a rule could not read, and how to supply it: one type for every rule
// (`diagnostics::Missing`), worded by `rules::unverified`.
pub use crate::diagnostics::{Missing, MissingKind};

/// The one unverifiable finding a rule reports for a resource whose input is missing.
pub fn unverifiable(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    svc: &Service,
    attribute: &str,
    check: &str,
    missing: &Missing,
) -> Diagnostic {
    crate::rules::unverified::Unverified {
        address: &svc.address,
        plan: svc.plan,
        attribute,
        message: format!("could not verify {check}: {}", missing.what),
        detail: None,
        missing: vec![missing.clone()],
    }
    .build(cx, meta)
}

/// The task definition a link points at, when the plan has it.
pub fn task_definition<'a>(
    model: &'a Model,
    link: &Link,
    plan: usize,
) -> Result<&'a TaskDefinition, Missing> {
    match (&link.address, &link.literal) {
        (Some(a), _) => model.task_definition_in(a, plan).ok_or_else(|| {
            Missing::outside_plan(
                format!("task definition {a} is not among the planned resources"),
                "Pass every plan that manages the task definition to `ecsnet check`.",
            )
        }),
        (None, Some(l)) => Err(Missing::outside_plan(
            format!("task definition {l} is outside the plan"),
            "Manage the task definition in the same plan as the service, or pass the plan that manages it as another PLAN argument to `ecsnet check`.",
        )),
        (None, None) if !link.candidates.is_empty() => Err(candidates_missing(&link.candidates)),
        (None, None) => Err(Missing::of_link(
            link,
            "the task_definition value is known only after apply and no configuration reference names a task definition",
            "Reference the aws_ecs_task_definition resource directly (for example task_definition = aws_ecs_task_definition.app.arn) so ecsnet can follow it.",
        )),
    }
}

/// Why a task definition hidden among several candidates cannot be read: they do not all
/// give the rule the same answer.
fn candidates_missing(candidates: &[String]) -> Missing {
    Missing::hidden(
        format!(
            "the task_definition value is known only after apply, and the task definitions the configuration can name ({}) do not all give the same answer",
            and_list(candidates)
        ),
        "Reference the aws_ecs_task_definition resource directly (for example task_definition = aws_ecs_task_definition.app.arn) so ecsnet can follow it.",
    )
}

/// How a message names every candidate of a hidden task definition link.
pub fn td_candidates_named(link: &Link) -> String {
    format!(
        "every task definition the service can name ({}: the configuration hides which one it runs)",
        and_list(&link.candidates)
    )
}

/// Judge a rule for a service whose task definition the configuration hides among several
/// candidates ([`Resolution::OneOfCandidates`]): `judge` runs once per candidate, and
/// - when no candidate gives a finding, the service passes (nothing is pushed);
/// - when every candidate gives findings that are not notes, the same ones (severity and
///   attribute), the first candidate's are pushed, each saying that every candidate fails
///   alike;
/// - otherwise (they disagree, or one cannot be judged) one unverifiable finding names them.
///
/// Returns false, doing nothing, when the link is not to candidates: judge its one task
/// definition as usual.
#[allow(clippy::too_many_arguments)]
pub fn judge_td_candidates(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    svc: &Service,
    link: &Link,
    attribute: &str,
    check: &str,
    mut judge: impl FnMut(&TaskDefinition, &mut Vec<Diagnostic>),
    out: &mut Vec<Diagnostic>,
) -> bool {
    if link.candidates.is_empty() {
        return false;
    }
    let runs = link.answers(|a| {
        let td = cx.model.task_definition_in(a, svc.plan)?;
        let mut found = Vec::new();
        judge(td, &mut found);
        Some(found)
    });
    // What a candidate's findings say, as (severity, attribute) of each that is not a note:
    // the first candidate's findings stand for all only when every candidate gives the
    // same ones.
    let firm = |found: &Vec<Diagnostic>| {
        let mut k: Vec<(crate::diagnostics::Severity, Option<String>)> = found
            .iter()
            .filter(|d| !d.unverifiable)
            .map(|d| (d.severity, d.attribute.clone()))
            .collect();
        k.sort();
        k
    };
    let alike = |runs: &[Vec<Diagnostic>]| {
        let first = firm(&runs[0]);
        !first.is_empty() && runs.iter().all(|r| firm(r) == first)
    };
    match runs {
        Some(runs) if runs.iter().all(Vec::is_empty) => {}
        Some(mut runs) if alike(&runs) => {
            let all = td_candidates_named(link);
            for mut d in runs.swap_remove(0).into_iter().filter(|d| !d.unverifiable) {
                d.message = format!("{} (the same holds for {all})", d.message);
                out.push(d);
            }
        }
        _ => out.push(unverifiable(
            cx,
            meta,
            svc,
            attribute,
            check,
            &candidates_missing(&link.candidates),
        )),
    }
    true
}

/// True when the service's tasks are known to run on Fargate.
pub fn on_fargate(svc: &Service) -> bool {
    svc.launch.get() == Some(&Launch::Fargate)
}

/// What is known about a service's network mode.
pub struct ModeView<'a> {
    /// The task definition, when the plan has it.
    pub td: Result<&'a TaskDefinition, Missing>,
    /// The network mode ECS will use; `None` when it cannot be known.
    pub mode: Option<NetworkMode>,
    /// Where the mode came from, for messages.
    pub basis: String,
}

impl<'a> ModeView<'a> {
    /// Why the mode is unknown (only meaningful when `mode` is `None`).
    pub fn missing(&self) -> Missing {
        match &self.td {
            Err(m) => m.clone(),
            Ok(td) => Missing::after_apply(
                format!(
                    "network_mode of task definition {} is known only after apply",
                    td.address
                ),
                "Set network_mode from a literal or a variable known at plan time.",
            ),
        }
    }
}

/// The network mode of `task_definition`; Fargate tasks are awsvpc whatever the task
/// definition says (a non-awsvpc one is rejected, which NET003/NET004 report), so a task
/// definition outside the plan does not hide the mode of a Fargate service.
pub fn mode_of<'a>(
    model: &'a Model,
    task_definition: &Link,
    fargate: bool,
    plan: usize,
) -> ModeView<'a> {
    let td = self::task_definition(model, task_definition, plan);
    // Hidden among several task definitions (the configuration hides which one): the mode
    // they all use, when they agree.
    let agreed = match &td {
        Err(_) if !task_definition.candidates.is_empty() => task_definition.all(|a| {
            model
                .task_definition_in(a, plan)
                .map(|t| t.network_mode.clone())
                .filter(|m| *m != NetworkMode::Unknown)
        }),
        _ => crate::model::Verdict::Undecided,
    };
    let (mode, basis) = match (&td, agreed) {
        (Err(_), crate::model::Verdict::All(m)) => {
            let basis = format!(
                "{} uses network_mode {}",
                td_candidates_named(task_definition),
                m.as_str()
            );
            (Some(m), basis)
        }
        (Ok(t), _) if t.network_mode != NetworkMode::Unknown => {
            let basis = if t.network_mode_explicit {
                format!(
                    "task definition {} uses network_mode {}",
                    t.address,
                    t.network_mode_raw.show()
                )
            } else {
                format!(
                    "task definition {} omits network_mode, which means {}",
                    t.address,
                    t.network_mode.as_str()
                )
            };
            // An uncertain link (one of several `count`/`for_each` candidates) is named as
            // such, so a finding built on it does not read as a certainty.
            let basis = if task_definition.certain {
                basis
            } else if task_definition.resolved_by == Resolution::OnlyCandidate {
                format!("{basis} (the only task definition the service can name: the configuration hides the link)")
            } else {
                format!("{basis} (ecsnet's best match among several candidates)")
            };
            (Some(t.network_mode.clone()), basis)
        }
        _ if fargate => (
            Some(NetworkMode::Awsvpc),
            "the service runs on Fargate, which supports only awsvpc".to_string(),
        ),
        _ => (None, String::new()),
    };
    ModeView { td, mode, basis }
}

/// The network mode of `svc` ([`mode_of`]), worked out once per service of the model
/// (`Context::service_modes`): a dozen rules ask it of every service.
pub fn service_mode<'a>(cx: &Context<'a>, svc: &Service) -> ModeView<'a> {
    let model = cx.model;
    let tds = &model.task_definitions;
    cx.service_modes().get_or(
        &model.services,
        svc,
        || {
            let view = mode_of(model, &svc.task_definition, on_fargate(svc), svc.plan);
            let position = |t: &TaskDefinition| {
                let at = (t as *const TaskDefinition as usize).wrapping_sub(tds.as_ptr() as usize)
                    / std::mem::size_of::<TaskDefinition>().max(1);
                tds.get(at).filter(|o| std::ptr::eq(*o, t)).map(|_| at)
            };
            ServiceMode {
                td: view.td.map(position),
                mode: view.mode,
                basis: view.basis,
            }
        },
        |m| ModeView {
            td: match &m.td {
                Ok(Some(i)) => Ok(&tds[*i]),
                Ok(None) => self::task_definition(model, &svc.task_definition, svc.plan),
                Err(e) => Err(e.clone()),
            },
            mode: m.mode.clone(),
            basis: m.basis.clone(),
        },
    )
}

/// Whether a service's tasks use awsvpc, for rules that only need that bit.
pub enum Awsvpc {
    /// Yes, with the reason.
    Yes(String),
    /// No (bridge, host, none or Windows default), with the mode and the reason.
    No(Option<NetworkMode>, String),
    /// Cannot tell.
    Unknown(Missing),
    /// The mode is invalid: NET001 reports it and nothing else applies.
    Invalid,
}

/// Whether `svc` runs awsvpc tasks. When the task definition cannot be read, the presence
/// of `network_configuration` decides: ECS accepts the block exactly for awsvpc task
/// definitions (NET040/NET041 report the unverified side of that).
pub fn service_awsvpc(cx: &Context<'_>, svc: &Service) -> Awsvpc {
    let view = service_mode(cx, svc);
    match view.mode {
        Some(NetworkMode::Awsvpc) => Awsvpc::Yes(view.basis),
        Some(NetworkMode::Invalid(_)) => Awsvpc::Invalid,
        Some(m) => Awsvpc::No(Some(m), view.basis),
        None => {
            let missing = view.missing();
            match svc.network_configuration.get() {
                Some(Some(_)) => Awsvpc::Yes(format!(
                    "the service has a network_configuration block, which ECS accepts only for awsvpc task definitions ({})",
                    missing.what
                )),
                Some(None) => Awsvpc::No(
                    None,
                    format!(
                        "the service has no network_configuration block, which ECS requires for awsvpc task definitions ({})",
                        missing.what
                    ),
                ),
                None => Awsvpc::Unknown(missing),
            }
        }
    }
}

/// The service's awsvpc configuration, when the block is present and known.
pub fn awsvpc_config(svc: &Service) -> Option<&AwsvpcConfiguration> {
    svc.network_configuration.get().and_then(|c| c.as_ref())
}

/// The subnet a link points at, when the plan has it.
pub fn subnet<'a>(model: &'a Model, link: &Link, plan: usize) -> Option<&'a Subnet> {
    link.address
        .as_deref()
        .and_then(|a| model.subnet_in(a, plan))
}

/// The task definition a service runs, when the plan has it.
pub fn service_task_definition<'a>(
    model: &'a Model,
    svc: &Service,
) -> Result<&'a TaskDefinition, Missing> {
    task_definition(model, &svc.task_definition, svc.plan)
}

/// The cluster a service runs on, when the plan has it.
pub fn cluster_of<'a>(model: &'a Model, svc: &Service) -> Option<&'a Cluster> {
    svc.cluster
        .address
        .as_deref()
        .and_then(|a| model.cluster_in(a, svc.plan))
}

/// The `assume { subnet "..." {} }` block for this subnet, by plan address, literal or id.
pub fn subnet_assumption<'a>(
    cx: &Context<'a>,
    link: &Link,
    subnet: Option<&Subnet>,
) -> Option<&'a SubnetAssumption> {
    let id = subnet.and_then(|s| s.id.get()).map(String::as_str);
    cx.assume
        .subnet_for(
            [link.address.as_deref(), link.literal.as_deref(), id]
                .into_iter()
                .flatten(),
        )
        .map(|(_, a)| a)
}

/// A short name for a subnet link in messages.
pub fn subnet_label(link: &Link) -> String {
    link.address
        .clone()
        .or_else(|| link.literal.clone())
        .unwrap_or_else(|| "(known after apply)".to_string())
}

/// `Some(true)` when both links (from resources of plans `pa` and `pb`) name the same
/// cluster, `None` when either is unknown. Addresses only compare within one plan.
pub fn same_cluster(a: &Link, pa: usize, b: &Link, pb: usize) -> Option<bool> {
    if let (Some(x), Some(y)) = (&a.address, &b.address) {
        return Some(x == y && pa == pb);
    }
    match (&a.literal, &b.literal) {
        (Some(x), Some(y)) => Some(cluster_name(x) == cluster_name(y)),
        // One in the plan and one outside: different unless a literal names the planned one,
        // which the model would have resolved to its address.
        _ if a.resolved_by != Resolution::Unresolved && b.resolved_by != Resolution::Unresolved => {
            Some(false)
        }
        _ => None,
    }
}

/// How a cluster link is named in `assume` help text.
pub fn cluster_assume_key(link: &Link, cluster: Option<&Cluster>) -> String {
    if let Some(n) = cluster
        .filter(|c| !c.name.sensitive)
        .and_then(|c| c.name.get())
    {
        return n.clone();
    }
    if let Some(l) = &link.literal {
        return cluster_name(l).to_string();
    }
    link.address.clone().unwrap_or_else(|| "NAME".to_string())
}

/// Why a task definition's containers cannot be read.
pub fn containers_missing(td: &TaskDefinition) -> Missing {
    if td.containers_error.is_some() {
        // The plan holds the value; ecsnet cannot decode it.
        Missing::hidden(
            format!(
                "container_definitions of task definition {} could not be decoded",
                td.address
            ),
            "Fix container_definitions so it is a JSON array of container objects.",
        )
    } else {
        Missing::after_apply(
            format!(
                "container_definitions of task definition {} is known only after apply",
                td.address
            ),
            "Build container_definitions (jsonencode) from values known at plan time; image tags and secrets may stay unknown only if ports and names are known.",
        )
    }
}

/// Which attribute decides where a service runs, for pointing at it.
pub fn launch_attribute(svc: &Service) -> &'static str {
    if svc.launch_type.get().is_some_and(|s| !s.is_empty()) {
        "launch_type"
    } else if svc
        .capacity_provider_strategy
        .get()
        .is_some_and(|v| !v.is_empty())
    {
        "capacity_provider_strategy"
    } else {
        "cluster"
    }
}

/// Text for a list of names, "a, b and c".
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].as_ref().to_string(),
        n => {
            let head: Vec<&str> = items[..n - 1].iter().map(|s| s.as_ref()).collect();
            format!("{} and {}", head.join(", "), items[n - 1].as_ref())
        }
    }
}

#[cfg(test)]
pub mod test_support {
    //! Running one rule over a hand-built model.

    use crate::config::Assumptions;
    use crate::diagnostics::Diagnostic;
    use crate::model::Model;
    use crate::rules::{Context, Rule};

    pub fn run(rule: &dyn Rule, model: &Model) -> Vec<Diagnostic> {
        run_with(rule, model, &Assumptions::default())
    }

    pub fn run_with(rule: &dyn Rule, model: &Model, assume: &Assumptions) -> Vec<Diagnostic> {
        let cx = Context::new(model, assume);
        let mut out = Vec::new();
        rule.check(&cx, &mut out);
        for d in &out {
            assert_eq!(d.rule, rule.meta().id, "rule id on {d:?}");
        }
        out
    }

    /// Findings that are not unverifiable.
    pub fn firm(d: &[Diagnostic]) -> Vec<&Diagnostic> {
        d.iter().filter(|d| !d.unverifiable).collect()
    }

    pub fn unverified(d: &[Diagnostic]) -> Vec<&Diagnostic> {
        d.iter().filter(|d| d.unverifiable).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::Field;

    #[test]
    fn fargate_service_is_awsvpc_without_task_definition() {
        let model = Model::default();
        let assume = crate::config::Assumptions::default();
        // The service is not one of the model's, so each call works its mode out afresh.
        let cx = Context::new(&model, &assume);
        let mut svc = t::service("aws_ecs_service.a", "aws_ecs_task_definition.x", "c");
        svc.task_definition = Link::outside("web:3");
        svc.launch = Field::known(Launch::Fargate);
        assert!(matches!(service_awsvpc(&cx, &svc), Awsvpc::Yes(_)));
        svc.launch = Field::known(Launch::Ec2);
        // Absent network_configuration on EC2: not awsvpc (or NET040 applies).
        assert!(matches!(service_awsvpc(&cx, &svc), Awsvpc::No(None, _)));
        svc.network_configuration = Field::unknown();
        match service_awsvpc(&cx, &svc) {
            Awsvpc::Unknown(m) => assert!(m.what.contains("web:3 is outside the plan")),
            _ => panic!("expected unknown"),
        }
    }

    #[test]
    fn clusters_compare_by_address_or_name() {
        let a = Link::to_address("aws_ecs_cluster.a", Resolution::ConfigReference, true);
        let b = Link::to_address("aws_ecs_cluster.b", Resolution::ConfigReference, true);
        assert_eq!(same_cluster(&a, 0, &a, 0), Some(true));
        assert_eq!(same_cluster(&a, 0, &a, 1), Some(false));
        assert_eq!(same_cluster(&a, 0, &b, 0), Some(false));
        let arn = Link::outside("arn:aws:ecs:eu-west-1:1:cluster/prod");
        let name = Link::outside("prod");
        assert_eq!(same_cluster(&arn, 0, &name, 1), Some(true));
        assert_eq!(same_cluster(&a, 0, &Link::unresolved(), 0), None);
        assert_eq!(same_cluster(&a, 0, &name, 0), Some(false));
    }
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use crate::model::testing as t;

    #[test]
    fn lookups_prefer_the_referring_plan() {
        let mut m = Model::default();
        let mut a = t::task_definition("aws_ecs_task_definition.x", NetworkMode::Awsvpc);
        a.plan = 0;
        let mut b = t::task_definition("aws_ecs_task_definition.x", NetworkMode::Bridge);
        b.plan = 1;
        m.task_definitions.push(a);
        m.task_definitions.push(b);
        let link = Link::to_address(
            "aws_ecs_task_definition.x",
            Resolution::ConfigReference,
            true,
        );
        assert_eq!(
            task_definition(&m, &link, 1).unwrap().network_mode,
            NetworkMode::Bridge
        );
        assert_eq!(
            task_definition(&m, &link, 0).unwrap().network_mode,
            NetworkMode::Awsvpc
        );
        // Not in plan 2: the link crosses plans.
        assert!(task_definition(&m, &link, 2).is_ok());
    }
}
