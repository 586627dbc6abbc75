//! NET047: no service `iam_role` with awsvpc.

use crate::diagnostics::Diagnostic;
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Awsvpc};

declare_rule! {
    /// ## What it checks
    /// An `aws_ecs_service` whose tasks use `awsvpc` (including every Fargate service) does
    /// not set `iam_role`. The service-linked role `AWSServiceRoleForECS` that ECS reports
    /// back for existing services is not counted.
    ///
    /// ## Why it matters
    /// awsvpc services register targets and manage network interfaces through the ECS
    /// service-linked role, and CreateService rejects a custom role: "You cannot specify an
    /// IAM role for services that require a service linked role." The `iam_role` argument is
    /// a leftover from classic load balancer setups and old module defaults.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "api" {
    ///   iam_role = aws_iam_role.ecs_service.arn   # NET047
    ///   network_configuration {
    ///     subnets = var.private_subnet_ids
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove `iam_role` from the service (ECS creates and uses the service-linked role), or
    /// pass `null` from the module for awsvpc services.
    pub struct IamRoleAwsvpc {
        id: "NET047",
        name: "no-service-iam-role-with-awsvpc",
        severity: Error,
        summary: "A service IAM role (iam_role) is not allowed with awsvpc",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html#ECS-CreateService-request-role",
    }
}

/// The ECS service-linked role, which DescribeServices returns as the service's role and the
/// provider then stores in `iam_role` for existing services.
fn is_service_linked(role: &str) -> bool {
    role.contains("aws-service-role/ecs.amazonaws.com") || role.ends_with("AWSServiceRoleForECS")
}

impl Rule for IamRoleAwsvpc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in &cx.model.services {
            // `iam_role` is optional and computed: it is unknown in every plan that creates a
            // service without it, so an unknown value reads as "not set" here. A role created
            // in the same plan is indistinguishable and is therefore not reported.
            let Some(role) = svc.iam_role.get() else {
                continue;
            };
            if role.is_empty() || is_service_linked(role) {
                continue;
            }
            let basis = match support::service_awsvpc(cx.model, svc) {
                Awsvpc::Yes(b) => b,
                Awsvpc::Unknown(m) => {
                    out.push(support::unverifiable(
                        cx,
                        &Self::META,
                        svc,
                        "iam_role",
                        "that this service with iam_role does not use awsvpc",
                        &m,
                    ));
                    continue;
                }
                _ => continue,
            };
            cx.diag(
                &Self::META,
                &svc.address,
                format!(
                    "iam_role {} is set, but {basis}; awsvpc services must use the ECS service-linked role",
                    svc.iam_role.show()
                ),
            )
            .attribute("iam_role")
            .detail("CreateService rejects it: \"You cannot specify an IAM role for services that require a service linked role.\"")
            .help("Remove iam_role from the service; ECS uses the AWSServiceRoleForECS service-linked role.")
            .plan(svc.plan)
            .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Launch, Link, Model, NetworkMode};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(mode: NetworkMode, role: Field<String>) -> Model {
        let mut m = Model::default();
        m.task_definitions
            .push(t::task_definition("aws_ecs_task_definition.api", mode));
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        s.iam_role = role;
        m.services.push(s);
        m
    }

    #[test]
    fn fires_for_awsvpc_with_role() {
        let role = Field::known("arn:aws:iam::1:role/ecs-service".to_string());
        let d = run(&IamRoleAwsvpc, &model(NetworkMode::Awsvpc, role));
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(d[0].attribute.as_deref(), Some("iam_role"));
    }

    #[test]
    fn sensitive_role_is_not_printed() {
        let role = Field::known("secret-role-name".to_string()).with_sensitive(true);
        let d = run(&IamRoleAwsvpc, &model(NetworkMode::Awsvpc, role));
        assert_eq!(d.len(), 1);
        assert!(!d[0].message.contains("secret-role-name"));
    }

    #[test]
    fn passes_for_bridge_unknown_or_service_linked() {
        let role = Field::known("ecs-service".to_string());
        assert!(run(&IamRoleAwsvpc, &model(NetworkMode::Bridge, role)).is_empty());
        assert!(run(
            &IamRoleAwsvpc,
            &model(NetworkMode::Awsvpc, Field::unknown())
        )
        .is_empty());
        let slr = Field::known(
            "arn:aws:iam::1:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
                .to_string(),
        );
        assert!(run(&IamRoleAwsvpc, &model(NetworkMode::Awsvpc, slr)).is_empty());
    }

    #[test]
    fn fargate_with_external_task_definition_fires() {
        let mut m = model(NetworkMode::Awsvpc, Field::known("svc-role".into()));
        m.task_definitions.clear();
        m.services[0].task_definition = Link::outside("api:3");
        m.services[0].launch = Field::known(Launch::Fargate);
        assert_eq!(firm(&run(&IamRoleAwsvpc, &m)).len(), 1);
        m.services[0].launch = Field::known(Launch::Ec2);
        m.services[0].network_configuration = Field::unknown();
        assert_eq!(unverified(&run(&IamRoleAwsvpc, &m)).len(), 1);
    }
}
