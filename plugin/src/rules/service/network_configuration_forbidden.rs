//! NET041: only awsvpc task definitions take a `network_configuration`.

use crate::diagnostics::Diagnostic;
use crate::model::{AwsvpcConfiguration, Field, Link, NetworkMode};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Missing};

declare_rule! {
    /// ## What it checks
    /// An `aws_ecs_service` (or `aws_ecs_task_set`) whose task definition uses `bridge`,
    /// `host`, `none` or the Windows `default` mode has no `network_configuration` block.
    ///
    /// ## Why it matters
    /// Only awsvpc tasks get their own network interface, so subnets, security groups and
    /// `assign_public_ip` mean nothing for the other modes. CreateService rejects the call:
    /// "Network Configuration is not valid for the given networkMode of this task definition."
    /// It often happens when a module always renders the block but the task definition's
    /// `network_mode` is a variable.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "worker" {
    ///   network_mode = "bridge"
    /// }
    /// resource "aws_ecs_service" "worker" {
    ///   task_definition = aws_ecs_task_definition.worker.arn
    ///   network_configuration {            # NET041
    ///     subnets = var.private_subnet_ids
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove the block (in a module, render it with a `dynamic "network_configuration"` block
    /// only when the mode is awsvpc), or switch the task definition to `awsvpc`.
    pub struct NetworkConfigurationForbidden {
        id: "NET041",
        name: "network-configuration-only-for-awsvpc",
        severity: Error,
        summary: "Services whose task definition is not awsvpc must not have network_configuration",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html#ECS-CreateService-request-networkConfiguration",
    }
}

impl NetworkConfigurationForbidden {
    #[allow(clippy::too_many_arguments)]
    fn check_one(
        &self,
        cx: &Context<'_>,
        address: &str,
        plan: usize,
        kind: &str,
        td: &Link,
        fargate: bool,
        nc: &Field<Option<AwsvpcConfiguration>>,
        out: &mut Vec<Diagnostic>,
    ) {
        // Only a present block can be wrong; an unknown one is rare enough (a dynamic block
        // over unknown values) that it is reported below only when the mode forbids it.
        let present = match nc.get() {
            Some(Some(_)) => Some(true),
            Some(None) => return,
            None => None,
        };
        let view = support::mode_of(cx.model, td, fargate, plan);
        match &view.mode {
            Some(NetworkMode::Awsvpc) | Some(NetworkMode::Invalid(_)) => {}
            Some(_) if present == Some(true) => {
                let mut d = cx
                    .diag(
                        &Self::META,
                        address,
                        format!(
                            "this {kind} has a network_configuration block, but {}; only awsvpc tasks take one",
                            view.basis
                        ),
                    )
                    .attribute("network_configuration")
                    .detail("CreateService rejects it: \"Network Configuration is not valid for the given networkMode of this task definition.\"")
                    .help("Remove network_configuration (render it with a dynamic block only for awsvpc), or set network_mode = \"awsvpc\" in the task definition.")
                    .plan(plan);
                if let Ok(t) = &view.td {
                    d = d.related(t.address.clone());
                }
                d.push(out);
            }
            Some(_) => cx
                .diag(
                    &Self::META,
                    address,
                    format!(
                        "could not verify that this {kind} has no network_configuration ({}): the block is known only after apply",
                        view.basis
                    ),
                )
                .attribute("network_configuration")
                .help("Render network_configuration from values known at plan time.")
                .plan(plan)
                .unverifiable()
                .missing(vec![Missing::after_apply(
                    "the network_configuration block (known only after apply)",
                    "Render network_configuration from values known at plan time.",
                )])
                .push(out),
            None if present == Some(true) => {
                let m = view.missing();
                cx.diag(
                    &Self::META,
                    address,
                    format!(
                        "could not verify that this {kind}'s task definition uses awsvpc, which its network_configuration block requires: {}",
                        m.what
                    ),
                )
                .attribute("network_configuration")
                .help(m.supply.clone())
                .plan(plan)
                .unverifiable()
                .missing(vec![m])
                .push(out)
            }
            None => {}
        }
    }
}

impl Rule for NetworkConfigurationForbidden {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for s in &cx.model.services {
            self.check_one(
                cx,
                &s.address,
                s.plan,
                "service",
                &s.task_definition,
                support::on_fargate(s),
                &s.network_configuration,
                out,
            );
        }
        for ts in &cx.model.task_sets {
            let fargate = ts
                .launch_type
                .get()
                .is_some_and(|l| l.eq_ignore_ascii_case("FARGATE"));
            self.check_one(
                cx,
                &ts.address,
                ts.plan,
                "task set",
                &ts.task_definition,
                fargate,
                &ts.network_configuration,
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::Model;
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(mode: NetworkMode, with_block: bool) -> Model {
        let mut m = Model::default();
        m.task_definitions
            .push(t::task_definition("aws_ecs_task_definition.w", mode));
        let mut s = t::service(
            "aws_ecs_service.w",
            "aws_ecs_task_definition.w",
            "aws_ecs_cluster.main",
        );
        if with_block {
            s.network_configuration = Field::known(Some(t::awsvpc(&["aws_subnet.a"])));
        }
        m.services.push(s);
        m
    }

    #[test]
    fn fires_for_bridge_host_none() {
        for mode in [NetworkMode::Bridge, NetworkMode::Host, NetworkMode::None] {
            let d = run(&NetworkConfigurationForbidden, &model(mode, true));
            assert_eq!(firm(&d).len(), 1);
            assert_eq!(d[0].attribute.as_deref(), Some("network_configuration"));
        }
    }

    #[test]
    fn passes_for_awsvpc_or_without_block() {
        assert!(run(
            &NetworkConfigurationForbidden,
            &model(NetworkMode::Awsvpc, true)
        )
        .is_empty());
        assert!(run(
            &NetworkConfigurationForbidden,
            &model(NetworkMode::Bridge, false)
        )
        .is_empty());
    }

    #[test]
    fn unknown_mode_with_block_is_unverifiable() {
        let d = run(
            &NetworkConfigurationForbidden,
            &model(NetworkMode::Unknown, true),
        );
        assert_eq!(unverified(&d).len(), 1);
        assert!(d[0].message.contains("known only after apply"));
        let mut m = model(NetworkMode::Bridge, true);
        m.task_definitions.clear();
        m.services[0].task_definition = Link::unresolved();
        assert_eq!(
            unverified(&run(&NetworkConfigurationForbidden, &m)).len(),
            1
        );
    }
}
