//! NET004: a service running on Fargate needs a Fargate-compatible task definition.

use crate::diagnostics::Diagnostic;
use crate::model::{Field, Launch, Link, NetworkMode, TaskDefinition, Verdict};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// Every `aws_ecs_service` whose tasks run on Fargate (`launch_type = "FARGATE"`, or a
    /// `FARGATE`/`FARGATE_SPOT` capacity provider strategy, its own or the cluster default) and
    /// every `aws_ecs_task_set` with `launch_type = "FARGATE"` runs a task definition whose
    /// `requires_compatibilities` contains `FARGATE`. A task definition in `bridge`, `host` or
    /// `none` mode (or with the mode omitted) can never be Fargate-compatible.
    ///
    /// ## Why it matters
    /// CreateService and UpdateService reject the call with "Task definition does not support
    /// launch_type FARGATE", so the apply fails after the task definition was registered.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "worker" {
    ///   family       = "worker"
    ///   network_mode = "bridge"
    ///   # requires_compatibilities omitted: EC2 only
    /// }
    /// resource "aws_ecs_service" "worker" {
    ///   launch_type     = "FARGATE"   # NET004
    ///   task_definition = aws_ecs_task_definition.worker.arn
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Add `requires_compatibilities = ["FARGATE"]` to the task definition together with
    /// `network_mode = "awsvpc"` and task-level `cpu` and `memory`, or run the service on EC2
    /// capacity (`launch_type = "EC2"` or an EC2 capacity provider).
    pub struct FargateServiceCompat {
        id: "NET004",
        name: "fargate-service-task-definition",
        severity: Error,
        summary: "A service on Fargate needs a task definition whose requires_compatibilities contains FARGATE",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html",
    }
}

/// What is known about running `td` on Fargate.
#[derive(Clone, Copy, PartialEq)]
enum Compat {
    Yes,
    No,
    Unknown,
}

fn compat(td: &TaskDefinition) -> Compat {
    if td.requires_compatibilities.is_unknown() {
        return Compat::Unknown;
    }
    match td.requires_fargate() {
        Some(true) => Compat::Yes,
        _ => Compat::No,
    }
}

fn why_not(td: &TaskDefinition) -> String {
    let listed = match td.requires_compatibilities.get() {
        Some(_) if td.requires_compatibilities.sensitive => {
            "requires_compatibilities does not contain FARGATE".to_string()
        }
        Some(v) => format!(
            "requires_compatibilities is [{}], without FARGATE",
            v.join(", ")
        ),
        None => "requires_compatibilities is not set (ECS validates it for EC2 only)".to_string(),
    };
    let mode = match &td.network_mode {
        NetworkMode::Bridge
        | NetworkMode::Host
        | NetworkMode::None
        | NetworkMode::WindowsDefault => {
            format!(
                "; its network mode {} can never be Fargate-compatible",
                td.network_mode.as_str()
            )
        }
        _ => String::new(),
    };
    format!("{listed}{mode}")
}

/// A resource whose tasks run on Fargate.
struct OnFargate<'a> {
    address: &'a str,
    plan: usize,
    /// "service" or "task set".
    what: &'static str,
    /// Why it runs on Fargate, for the message.
    how: String,
    task_definition: &'a Link,
}

impl FargateServiceCompat {
    fn check_one(&self, cx: &Context<'_>, r: OnFargate<'_>, out: &mut Vec<Diagnostic>) {
        if !r.task_definition.candidates.is_empty() {
            return self.check_candidates(cx, r, out);
        }
        let OnFargate {
            address,
            plan,
            what,
            how,
            task_definition: link,
        } = r;
        let Some(td) = link
            .address
            .as_deref()
            .and_then(|a| cx.model.task_definition(a))
        else {
            cx.diag(
                &Self::META,
                address,
                format!(
                    "this {what} runs on Fargate but its task definition {} is not in the plan, so its requires_compatibilities could not be checked",
                    link.describe()
                ),
            )
            .attribute("task_definition")
            .help("Include the aws_ecs_task_definition in the same plan (or reference it directly instead of through a computed value) so ecsnet can check it.")
            .plan(plan)
            .unverifiable()
            .missing(vec![crate::diagnostics::Missing::of_link(link, format!("task definition {} (not in the plan)", link.describe()), "the aws_ecs_task_definition in the same plan, referenced directly")])
            .push(out);
            return;
        };
        match compat(td) {
            Compat::Yes => {}
            Compat::No => cx
                .diag(
                    &Self::META,
                    address,
                    format!(
                        "this {what} runs on Fargate ({how}) but task definition {} is not Fargate-compatible: {}",
                        td.address,
                        why_not(td)
                    ),
                )
                .attribute("task_definition")
                .detail("CreateService/UpdateService reject it: \"Task definition does not support launch_type FARGATE\".")
                .help("Add requires_compatibilities = [\"FARGATE\"], network_mode = \"awsvpc\" and task cpu/memory to the task definition, or run the service on EC2 capacity.")
                .related(td.address.clone())
                .plan(plan)
                .push(out),
            Compat::Unknown => cx
                .diag(
                    &Self::META,
                    address,
                    format!(
                        "this {what} runs on Fargate but requires_compatibilities of task definition {} is known only after apply",
                        td.address
                    ),
                )
                .attribute("task_definition")
                .help("Set requires_compatibilities from a literal list or a variable known at plan time.")
                .related(td.address.clone())
                .plan(plan)
                .unverifiable()
                .missing(vec![crate::diagnostics::Missing::after_apply(format!("requires_compatibilities of {} (known after apply)", td.address), "requires_compatibilities from a literal list or a variable known at plan time")])
                .push(out),
        }
    }
}

impl FargateServiceCompat {
    /// NET004 over every task definition a hidden link can name: it passes when each is
    /// Fargate-compatible, fires when none is, and is a note otherwise.
    fn check_candidates(&self, cx: &Context<'_>, r: OnFargate<'_>, out: &mut Vec<Diagnostic>) {
        let link = r.task_definition;
        let td = |a: &str| cx.model.task_definition_in(a, r.plan);
        match link.all(|a| td(a).map(compat).filter(|c| *c != Compat::Unknown)) {
            Verdict::All(Compat::Yes) => {}
            Verdict::All(_) => {
                let why: Vec<String> = link
                    .candidates
                    .iter()
                    .filter_map(|a| td(a))
                    .map(|t| format!("{}: {}", t.address, why_not(t)))
                    .collect();
                cx.diag(
                    &Self::META,
                    r.address,
                    format!(
                        "this {} runs on Fargate ({}) but no task definition it can name is Fargate-compatible ({}: the configuration hides which one it runs)",
                        r.what, r.how, crate::rules::service::support::and_list(&link.candidates)
                    ),
                )
                .attribute("task_definition")
                .detail(format!(
                    "{}. CreateService/UpdateService reject it: \"Task definition does not support launch_type FARGATE\".",
                    why.join("; ")
                ))
                .help("Add requires_compatibilities = [\"FARGATE\"], network_mode = \"awsvpc\" and task cpu/memory to the task definition, or run the service on EC2 capacity.")
                .plan(r.plan)
                .push(out)
            }
            Verdict::Undecided => cx
                .diag(
                    &Self::META,
                    r.address,
                    format!(
                        "this {} runs on Fargate but the task definitions it can name ({}: the configuration hides which one it runs) are not all known to be Fargate-compatible",
                        r.what,
                        crate::rules::service::support::and_list(&link.candidates)
                    ),
                )
                .attribute("task_definition")
                .help("Reference the aws_ecs_task_definition resource directly (for example task_definition = aws_ecs_task_definition.app.arn) so ecsnet can follow it.")
                .plan(r.plan)
                .unverifiable()
                .push(out),
        }
    }
}

impl Rule for FargateServiceCompat {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in &cx.model.services {
            match svc.launch.get() {
                Some(Launch::Fargate) => {
                    let how = if svc.launch_type.get().is_some() {
                        format!("launch_type {}", svc.launch_type.show())
                    } else {
                        "a Fargate capacity provider".to_string()
                    };
                    self.check_one(
                        cx,
                        OnFargate {
                            address: &svc.address,
                            plan: svc.plan,
                            what: "service",
                            how,
                            task_definition: &svc.task_definition,
                        },
                        out,
                    );
                }
                Some(_) => {}
                None if svc.launch.is_unknown() => {
                    // Only worth saying when the task definition could not run on Fargate.
                    if let Some(td) = cx.model.task_definition_of(svc) {
                        if matches!(compat(td), Compat::No) {
                            cx.diag(
                                &Self::META,
                                &svc.address,
                                format!(
                                    "where this service runs is known only after apply; if it is Fargate, task definition {} is not Fargate-compatible",
                                    td.address
                                ),
                            )
                            .attribute("launch_type")
                            .help("Set launch_type or capacity_provider_strategy from values known at plan time.")
                            .related(td.address.clone())
                            .plan(svc.plan)
                            .unverifiable()
                            .missing(vec![crate::diagnostics::Missing::after_apply("where its tasks run (launch_type / capacity provider strategy) is known only after apply", "launch_type or capacity_provider_strategy from values known at plan time")])
                            .push(out);
                        }
                    }
                }
                None => {}
            }
        }
        for ts in &cx.model.task_sets {
            if is_fargate(&ts.launch_type) {
                let how = format!("launch_type {}", ts.launch_type.show());
                self.check_one(
                    cx,
                    OnFargate {
                        address: &ts.address,
                        plan: ts.plan,
                        what: "task set",
                        how,
                        task_definition: &ts.task_definition,
                    },
                    out,
                );
            }
        }
    }
}

fn is_fargate(launch_type: &Field<String>) -> bool {
    launch_type
        .get()
        .is_some_and(|l| l.eq_ignore_ascii_case("FARGATE"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::diagnostics::Severity;
    use crate::model::testing::{service, task_definition};
    use crate::model::{Model, Service};
    use crate::rules::ports::common::run_rule;

    const TD: &str = "aws_ecs_task_definition.a";

    fn fargate_service() -> Service {
        let mut s = service("aws_ecs_service.a", TD, "aws_ecs_cluster.c");
        s.launch_type = Field::known("FARGATE".into());
        s.launch = Field::known(Launch::Fargate);
        s
    }

    fn run(td: TaskDefinition, svc: Service) -> Vec<Diagnostic> {
        let model = Model {
            task_definitions: vec![td],
            services: vec![svc],
            ..Default::default()
        };
        run_rule(&FargateServiceCompat, &model, &Assumptions::default())
    }

    #[test]
    fn hidden_task_definitions_are_judged_over_every_candidate() {
        let with = |a: bool, b: Option<bool>| {
            let td = |addr: &str, fargate: Option<bool>| {
                let mut t = task_definition(addr, NetworkMode::Awsvpc);
                t.requires_compatibilities = match fargate {
                    Some(true) => Field::known(vec!["FARGATE".into()]),
                    Some(false) => Field::known(vec!["EC2".into()]),
                    None => Field::unknown(),
                };
                t
            };
            let mut svc = fargate_service();
            svc.task_definition = Link::one_of(vec![TD.into(), "aws_ecs_task_definition.b".into()]);
            let model = Model {
                task_definitions: vec![td(TD, Some(a)), td("aws_ecs_task_definition.b", b)],
                services: vec![svc],
                ..Default::default()
            };
            run_rule(&FargateServiceCompat, &model, &Assumptions::default())
        };
        assert!(with(true, Some(true)).is_empty());
        let d = with(false, Some(false));
        assert_eq!(d.len(), 1);
        assert!(!d[0].unverifiable);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].message.contains("no task definition it can name"));
        for (a, b) in [(true, Some(false)), (false, None)] {
            let d = with(a, b);
            assert_eq!(d.len(), 1);
            assert!(d[0].unverifiable);
        }
    }

    #[test]
    fn fires_when_task_definition_lacks_fargate() {
        let td = task_definition(TD, NetworkMode::Bridge);
        let d = run(td, fargate_service());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(d[0].address, "aws_ecs_service.a");
        assert!(
            d[0].message.contains("can never be Fargate-compatible"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].related, vec![TD.to_string()]);

        let mut td = task_definition(TD, NetworkMode::Awsvpc);
        td.requires_compatibilities = Field::known(vec!["EC2".into()]);
        let d = run(td, fargate_service());
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("[EC2]"), "{}", d[0].message);
    }

    #[test]
    fn passes_fargate_task_definition_and_ec2_service() {
        let mut td = task_definition(TD, NetworkMode::Awsvpc);
        td.requires_compatibilities = Field::known(vec!["FARGATE".into()]);
        assert!(run(td, fargate_service()).is_empty());
        let ec2 = service("aws_ecs_service.a", TD, "aws_ecs_cluster.c");
        assert!(run(task_definition(TD, NetworkMode::Bridge), ec2).is_empty());
    }

    #[test]
    fn unknown_inputs_are_unverifiable() {
        let mut td = task_definition(TD, NetworkMode::Awsvpc);
        td.requires_compatibilities = Field::unknown();
        let d = run(td, fargate_service());
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);

        let mut svc = fargate_service();
        svc.launch = Field::unknown();
        let d = run(task_definition(TD, NetworkMode::Host), svc);
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);

        let mut svc = fargate_service();
        svc.task_definition = Link::unresolved();
        let d = run(task_definition(TD, NetworkMode::Host), svc);
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
    }
}
