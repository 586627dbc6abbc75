//! NET040: an awsvpc task definition needs `network_configuration` with at least one subnet.

use crate::diagnostics::Diagnostic;
use crate::model::{AwsvpcConfiguration, Field, Link, NetworkMode};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Missing};

declare_rule! {
    /// ## What it checks
    /// Every `aws_ecs_service` (and `aws_ecs_task_set`) whose task definition uses `awsvpc`,
    /// including every service on Fargate, has a `network_configuration` block with at least
    /// one subnet.
    ///
    /// ## Why it matters
    /// Each awsvpc task gets its own network interface, and ECS has to know which subnets to
    /// create it in. CreateService rejects the call: "Network Configuration must be provided
    /// when networkMode 'awsvpc' is specified."
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   network_mode = "awsvpc"
    /// }
    /// resource "aws_ecs_service" "api" {
    ///   task_definition = aws_ecs_task_definition.api.arn
    ///   # no network_configuration: NET040
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Add a `network_configuration` block with the task subnets (and security groups) to the
    /// service, or use `bridge`/`host` mode in the task definition if the tasks should share
    /// the instance's network.
    /// ```hcl
    /// network_configuration {
    ///   subnets         = var.private_subnet_ids
    ///   security_groups = [aws_security_group.tasks.id]
    /// }
    /// ```
    pub struct NetworkConfigurationRequired {
        id: "NET040",
        name: "awsvpc-needs-network-configuration",
        severity: Error,
        summary: "An awsvpc service needs network_configuration with at least one subnet",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html#ECS-CreateService-request-networkConfiguration",
    }
}

/// The part of a service or task set this rule reads.
struct Subject<'a> {
    address: &'a str,
    plan: usize,
    kind: &'static str,
    task_definition: &'a Link,
    fargate: bool,
    network_configuration: &'a Field<Option<AwsvpcConfiguration>>,
}

impl NetworkConfigurationRequired {
    fn check_one(&self, cx: &Context<'_>, s: Subject<'_>, out: &mut Vec<Diagnostic>) {
        let view = support::mode_of(cx.model, s.task_definition, s.fargate, s.plan);
        let unverified = |attr: &str, m: &Missing, out: &mut Vec<Diagnostic>| {
            cx.diag(
                &Self::META,
                s.address,
                format!(
                    "could not verify that this {} has the network_configuration awsvpc needs: {}",
                    s.kind, m.what
                ),
            )
            .attribute(attr)
            .help(m.supply.clone())
            .plan(s.plan)
            .unverifiable()
            .missing(vec![m.clone()])
            .push(out)
        };
        match &view.mode {
            Some(NetworkMode::Awsvpc) => {}
            // Another mode: NET041 applies instead.
            Some(_) => return,
            None => {
                // Only the absence of the block depends on the mode; a block with subnets
                // satisfies this rule whatever the mode is.
                match s.network_configuration.get() {
                    Some(Some(c)) if c.subnets.get().is_some_and(|v| !v.is_empty()) => {}
                    Some(Some(_)) | None => {}
                    Some(None) => unverified("network_configuration", &view.missing(), out),
                }
                return;
            }
        }
        let related: Vec<String> = view.td.iter().map(|t| t.address.clone()).collect();
        match s.network_configuration.get() {
            None => unverified(
                "network_configuration",
                &Missing::after_apply(
                    "the network_configuration block is known only after apply",
                    "Write network_configuration as a literal block (dynamic blocks over values known at plan time are fine).",
                ),
                out,
            ),
            Some(None) => {
                let mut d = cx
                    .diag(
                        &Self::META,
                        s.address,
                        format!(
                            "this {} has no network_configuration, but {}",
                            s.kind, view.basis
                        ),
                    )
                    .attribute("network_configuration")
                    .detail("CreateService rejects it: \"Network Configuration must be provided when networkMode 'awsvpc' is specified.\"")
                    .help("Add a network_configuration block to the service:\nnetwork_configuration {\n  subnets         = var.private_subnet_ids\n  security_groups = [aws_security_group.tasks.id]\n}")
                    .plan(s.plan);
                for r in &related {
                    d = d.related(r.clone());
                }
                d.push(out);
            }
            Some(Some(cfg)) => match cfg.subnets.get() {
                Some(v) if v.is_empty() => {
                    let mut d = cx
                        .diag(
                            &Self::META,
                            s.address,
                            format!(
                                "network_configuration of this {} lists no subnets, but {}",
                                s.kind, view.basis
                            ),
                        )
                        .attribute("network_configuration[0].subnets")
                        .detail("awsvpc tasks need at least one subnet for their network interface.")
                        .help("Pass at least one subnet id in network_configuration.subnets.")
                        .plan(s.plan);
                    for r in &related {
                        d = d.related(r.clone());
                    }
                    d.push(out);
                }
                Some(_) => {}
                None => unverified(
                    "network_configuration[0].subnets",
                    &Missing::after_apply(
                        "the subnet list is known only after apply, so ecsnet cannot tell whether it is empty",
                        "Build the subnet list from resources or data sources whose ids the plan knows, or from a literal list.",
                    ),
                    out,
                ),
            },
        }
    }
}

impl Rule for NetworkConfigurationRequired {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in &cx.model.services {
            // With the EXTERNAL controller the network configuration lives on the task sets.
            if svc.deployment_controller.get()
                == Some(&crate::model::DeploymentController::External)
            {
                continue;
            }
            self.check_one(
                cx,
                Subject {
                    address: &svc.address,
                    plan: svc.plan,
                    kind: "service",
                    task_definition: &svc.task_definition,
                    fargate: support::on_fargate(svc),
                    network_configuration: &svc.network_configuration,
                },
                out,
            );
        }
        for ts in &cx.model.task_sets {
            self.check_one(
                cx,
                Subject {
                    address: &ts.address,
                    plan: ts.plan,
                    kind: "task set",
                    task_definition: &ts.task_definition,
                    fargate: ts
                        .launch_type
                        .get()
                        .is_some_and(|l| l.eq_ignore_ascii_case("FARGATE")),
                    network_configuration: &ts.network_configuration,
                },
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Launch, Model};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(mode: NetworkMode) -> Model {
        let mut m = Model::default();
        m.task_definitions
            .push(t::task_definition("aws_ecs_task_definition.api", mode));
        m.services.push(t::service(
            "aws_ecs_service.api",
            "aws_ecs_task_definition.api",
            "aws_ecs_cluster.main",
        ));
        m
    }

    #[test]
    fn fires_without_block() {
        let d = run(&NetworkConfigurationRequired, &model(NetworkMode::Awsvpc));
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(d[0].attribute.as_deref(), Some("network_configuration"));
        assert!(d[0]
            .related
            .contains(&"aws_ecs_task_definition.api".to_string()));
    }

    #[test]
    fn fires_on_empty_subnets() {
        let mut m = model(NetworkMode::Awsvpc);
        m.services[0].network_configuration = Field::known(Some(t::awsvpc(&[])));
        let d = run(&NetworkConfigurationRequired, &m);
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("network_configuration[0].subnets")
        );
    }

    #[test]
    fn passes_with_subnets_and_for_bridge() {
        let mut m = model(NetworkMode::Awsvpc);
        m.services[0].network_configuration = Field::known(Some(t::awsvpc(&["aws_subnet.a"])));
        assert!(run(&NetworkConfigurationRequired, &m).is_empty());
        assert!(run(&NetworkConfigurationRequired, &model(NetworkMode::Bridge)).is_empty());
    }

    #[test]
    fn fargate_with_external_task_definition_still_checked() {
        let mut m = model(NetworkMode::Awsvpc);
        m.task_definitions.clear();
        m.services[0].task_definition = Link::outside("api:7");
        m.services[0].launch = Field::known(Launch::Fargate);
        let d = run(&NetworkConfigurationRequired, &m);
        assert_eq!(firm(&d).len(), 1);
        assert!(d[0].message.contains("Fargate"));
    }

    #[test]
    fn unknown_task_definition_is_unverifiable_once() {
        let mut m = model(NetworkMode::Awsvpc);
        m.task_definitions.clear();
        m.services[0].task_definition = Link::outside("api:7");
        let d = run(&NetworkConfigurationRequired, &m);
        assert_eq!(unverified(&d).len(), 1);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("api:7"));
        assert!(d[0].help.is_some());
        // With a network_configuration block nothing depends on the mode.
        m.services[0].network_configuration = Field::known(Some(t::awsvpc(&["aws_subnet.a"])));
        assert!(run(&NetworkConfigurationRequired, &m).is_empty());
    }

    #[test]
    fn unknown_subnets_are_unverifiable() {
        let mut m = model(NetworkMode::Awsvpc);
        let mut c = t::awsvpc(&[]);
        c.subnets = Field::unknown();
        m.services[0].network_configuration = Field::known(Some(c));
        let d = run(&NetworkConfigurationRequired, &m);
        assert_eq!(unverified(&d).len(), 1);
    }
}
