//! NET080: what a DAEMON service cannot have.

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{DeploymentController, Launch};
use crate::rules::service::support::{self, Missing};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// An `aws_ecs_service` with `scheduling_strategy = "DAEMON"`:
    /// - does not run on Fargate (`launch_type = "FARGATE"` or a Fargate capacity provider);
    /// - does not use the `CODE_DEPLOY` or `EXTERNAL` deployment controller;
    /// - has no `ordered_placement_strategy`;
    /// - sets no `desired_count` (a warning: the AWS provider drops it for daemons).
    ///
    /// ## Why it matters
    /// A daemon runs one task on every container instance, so it needs instances: Fargate
    /// has none, and CreateService rejects the combination, as it rejects a placement
    /// strategy (there is nothing to choose between). Blue/green and external
    /// deployments replace task sets, which the daemon scheduler does not support. A
    /// `desired_count` on a daemon is silently ignored, which hides a misunderstanding of how
    /// many tasks will run.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "log_router" {
    ///   scheduling_strategy = "DAEMON"
    ///   launch_type         = "FARGATE"   # NET080
    ///   desired_count       = 3           # NET080 (ignored)
    ///   ordered_placement_strategy {      # NET080
    ///     type  = "spread"
    ///     field = "attribute:ecs.availability-zone"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Run daemons on EC2 capacity with the ECS deployment controller and without
    /// `ordered_placement_strategy` or `desired_count` (use `placement_constraints` to pick
    /// instances); on Fargate, run the agent as a sidecar container in each task
    /// definition instead.
    pub struct DaemonRestrictions {
        id: "NET080",
        name: "daemon-restrictions",
        severity: Error,
        summary: "DAEMON services cannot run on Fargate, use CODE_DEPLOY/EXTERNAL controllers, or set a placement strategy or desired_count",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html#ECS-CreateService-request-schedulingStrategy",
    }
}

impl Rule for DaemonRestrictions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in cx.model.services.iter().filter(|s| s.is_daemon()) {
            // (attribute, what could not be checked, what is unknown, how to supply it)
            let mut missing: Vec<(&str, &str, &str, &str)> = Vec::new();
            match svc.launch.get() {
                Some(Launch::Fargate) => {
                    let attr = support::launch_attribute(svc);
                    cx.diag(
                        &Self::META,
                        &svc.address,
                        format!("this DAEMON service runs on Fargate (set by {attr}); daemons need container instances"),
                    )
                    .attribute(attr)
                    .detail("The DAEMON strategy places one task on every container instance; Fargate has none, and CreateService rejects the service.")
                    .help("Run the daemon on EC2 capacity (launch_type = \"EC2\" or an Auto Scaling group capacity provider), or use a sidecar container on Fargate.")
                    .plan(svc.plan)
                    .push(out);
                }
                Some(_) => {}
                None => missing.push((
                    "launch_type",
                    "that it does not run on Fargate",
                    "where its tasks run (launch_type / capacity provider strategy) is known only after apply",
                    "Set launch_type or capacity_provider_strategy from values known at plan time.",
                )),
            }
            if let Some(c @ (DeploymentController::CodeDeploy | DeploymentController::External)) =
                svc.deployment_controller.get()
            {
                let name = match c {
                    DeploymentController::CodeDeploy => "CODE_DEPLOY",
                    _ => "EXTERNAL",
                };
                cx.diag(
                    &Self::META,
                    &svc.address,
                    format!("this DAEMON service uses the {name} deployment controller, which supports only REPLICA services"),
                )
                .attribute("deployment_controller[0].type")
                .help("Use the ECS deployment controller (the default) for daemons.")
                .plan(svc.plan)
                .push(out);
            } else if svc.deployment_controller.is_unknown() {
                missing.push((
                    "deployment_controller[0].type",
                    "that it uses the ECS deployment controller",
                    "the deployment_controller type is known only after apply",
                    "Set deployment_controller.type from a literal.",
                ));
            }
            match svc.placement_strategies.get() {
                Some(v) if !v.is_empty() => cx
                    .diag(
                        &Self::META,
                        &svc.address,
                        format!(
                            "this DAEMON service sets ordered_placement_strategy ({}); daemons place exactly one task per instance and take no placement strategy",
                            if svc.placement_strategies.sensitive {
                                "(sensitive)".to_string()
                            } else {
                                support::and_list(v)
                            }
                        ),
                    )
                    .attribute("ordered_placement_strategy")
                    .detail("ECS rejects it: \"The daemon scheduling strategy does not support placement strategies. Remove the placement strategy and try again\" (seen in kayac/ecspresso#402).")
                    .help("Remove ordered_placement_strategy from the daemon; use placement_constraints to limit which instances run it.")
                    .plan(svc.plan)
                    .push(out),
                Some(_) => {}
                None if svc.placement_strategies.is_unknown() => missing.push((
                    "ordered_placement_strategy",
                    "that it sets no placement strategy",
                    "ordered_placement_strategy is known only after apply",
                    "Write ordered_placement_strategy blocks from values known at plan time.",
                )),
                None => {}
            }
            // One unverifiable finding per service, naming everything that was unknown.
            if let Some((attr, _, _, _)) = missing.first() {
                let checks: Vec<&str> = missing.iter().map(|m| m.1).collect();
                let whats: Vec<&str> = missing.iter().map(|m| m.2).collect();
                let helps: Vec<&str> = missing.iter().map(|m| m.3).collect();
                out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    attr,
                    &format!("this DAEMON service: {}", support::and_list(&checks)),
                    &Missing::after_apply(support::and_list(&whats), helps.join(" ")),
                ));
            }
            // The provider never sends desired_count for daemons, so it is a misleading
            // setting rather than an apply failure: a warning.
            if let Some(n) = svc.desired_count.get() {
                if *n > 0 {
                    cx.diag(
                        &Self::META,
                        &svc.address,
                        format!(
                            "desired_count = {} is set on a DAEMON service; daemons run one task per container instance and the value is ignored",
                            svc.desired_count.show()
                        ),
                    )
                    .severity(Severity::Warning)
                    .attribute("desired_count")
                    .help("Remove desired_count from daemon services (in modules, pass null for DAEMON).")
                    .plan(svc.plan)
                    .push(out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Model};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(launch: Field<Launch>) -> Model {
        let mut m = Model::default();
        let mut s = t::service(
            "aws_ecs_service.agent",
            "aws_ecs_task_definition.agent",
            "c",
        );
        s.scheduling_strategy = Field::known("DAEMON".into());
        s.desired_count = Field::null();
        s.launch = launch;
        m.services.push(s);
        m
    }

    #[test]
    fn fires_on_fargate_and_controllers() {
        let d = run(&DaemonRestrictions, &model(Field::known(Launch::Fargate)));
        assert_eq!(firm(&d).len(), 1);
        let mut m = model(Field::known(Launch::Ec2));
        m.services[0].deployment_controller = Field::known(DeploymentController::CodeDeploy);
        let d = run(&DaemonRestrictions, &m);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("deployment_controller[0].type")
        );
    }

    #[test]
    fn placement_strategy_is_an_error() {
        let mut m = model(Field::known(Launch::Ec2));
        m.services[0].placement_strategies = Field::known(vec!["spread".into()]);
        let d = run(&DaemonRestrictions, &m);
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("ordered_placement_strategy")
        );
    }

    #[test]
    fn desired_count_is_a_warning() {
        let mut m = model(Field::known(Launch::Ec2));
        m.services[0].desired_count = Field::known(3);
        let d = run(&DaemonRestrictions, &m);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
    }

    #[test]
    fn passes_for_ec2_daemon_and_replicas() {
        assert!(run(&DaemonRestrictions, &model(Field::known(Launch::Ec2))).is_empty());
        let mut m = model(Field::known(Launch::Fargate));
        m.services[0].scheduling_strategy = Field::known("REPLICA".into());
        assert!(run(&DaemonRestrictions, &m).is_empty());
    }

    #[test]
    fn unknown_launch_and_controller_give_one_unverifiable() {
        let d = run(&DaemonRestrictions, &model(Field::unknown()));
        assert_eq!(unverified(&d).len(), 1);
        let mut m = model(Field::unknown());
        m.services[0].deployment_controller = Field::unknown();
        let d = run(&DaemonRestrictions, &m);
        assert_eq!(d.len(), 1);
        assert!(d[0]
            .message
            .contains("Fargate and that it uses the ECS deployment controller"));
    }
}
