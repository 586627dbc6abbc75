//! NET047: no service `iam_role` with awsvpc.

use crate::diagnostics::Diagnostic;
use crate::model::{Service, Val};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Awsvpc, Missing, MissingKind};

declare_rule! {
    /// ## What it checks
    /// An `aws_ecs_service` whose tasks use `awsvpc` (including every Fargate service) does
    /// not set `iam_role` in its configuration.
    ///
    /// Only what the configuration writes counts. After apply the AWS provider stores in
    /// `iam_role` the role ECS reports, which for a service created without one is the ECS
    /// service-linked role (`aws-service-role` in the state of provider 2.x and 3.x,
    /// `/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS` later), so update plans
    /// show a role on services that never set one. ecsnet reads the plan's configuration
    /// section: an `iam_role` the configuration leaves out, or sets to null (also through a
    /// module variable), is not a role; a literal, or a module variable given a literal, is.
    /// When the configuration writes an expression ecsnet cannot evaluate (a local, a
    /// conditional), a known role other than the service-linked one counts as set, and a
    /// role known only after apply gives an unverifiable note.
    ///
    /// ## Why it matters
    /// awsvpc services register targets and manage network interfaces through the ECS
    /// service-linked role, and CreateService rejects any role, the service-linked one
    /// included. The API reference (CreateService, `role`): "This parameter is only
    /// permitted if you are using a load balancer with your service and your task definition
    /// doesn't use the awsvpc network mode", and "The service-linked role is required if your
    /// task definition uses the awsvpc network mode [...] in which case you don't specify a
    /// role here." The error is "You cannot specify an IAM role for services that require a
    /// service linked role." The `iam_role` argument is a leftover from classic load balancer
    /// setups and old module defaults.
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

/// What the configuration says about the role, for an awsvpc service.
enum Role {
    /// The configuration sets a role.
    Set,
    /// An expression ecsnet cannot evaluate, with a value known only after apply.
    Unclear,
}

impl Role {
    fn of(svc: &Service) -> Option<Role> {
        match svc.iam_role_configured.val {
            Val::Known(true) => Some(Role::Set),
            Val::Unknown => Some(Role::Unclear),
            Val::Known(false) | Val::Null => None,
        }
    }
}

const FIX: &str =
    "Remove iam_role from the service; ECS uses the AWSServiceRoleForECS service-linked role.";

impl Rule for IamRoleAwsvpc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in &cx.model.services {
            let Some(role) = Role::of(svc) else {
                continue;
            };
            let basis = match support::service_awsvpc(cx, svc) {
                Awsvpc::Yes(b) => b,
                Awsvpc::Unknown(m) => {
                    if let Role::Set = role {
                        out.push(support::unverifiable(
                            cx,
                            &Self::META,
                            svc,
                            "iam_role",
                            "that this service with iam_role does not use awsvpc",
                            &m,
                        ));
                    }
                    continue;
                }
                _ => continue,
            };
            match role {
                Role::Set => cx
                    .diag(
                        &Self::META,
                        &svc.address,
                        format!(
                            "iam_role {} is set, but {basis}; awsvpc services must use the ECS service-linked role",
                            svc.iam_role.show()
                        ),
                    )
                    .attribute("iam_role")
                    .detail("CreateService rejects it: \"You cannot specify an IAM role for services that require a service linked role.\"")
                    .help(FIX)
                    .plan(svc.plan)
                    .push(out),
                Role::Unclear => out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    "iam_role",
                    &format!("that this service sets no iam_role ({basis})"),
                    // Read from the sources, the expression's null-ness waits on values known
                    // only after apply; from the plan alone, it is an expression ecsnet
                    // could not read (a local, a conditional).
                    &Missing::new(
                        "its iam_role expression may or may not be null, and its value is known only after apply",
                        "Leave iam_role out of awsvpc services, or set it from a literal or a variable (null for awsvpc).",
                        if svc.iam_role_traced {
                            MissingKind::AfterApply
                        } else {
                            MissingKind::Hidden
                        },
                    ),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::extract::is_service_linked_role;
    use crate::model::testing as t;
    use crate::model::{Field, Launch, Link, Model, NetworkMode};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    /// A service whose configuration sets the role when it is known and not the
    /// service-linked one, and writes an expression that cannot be evaluated when unknown.
    fn model(mode: NetworkMode, role: Field<String>) -> Model {
        let configured = match &role.val {
            Val::Known(r) => Field::known(!is_service_linked_role(r)),
            Val::Null => Field::known(false),
            Val::Unknown => Field::unknown(),
        };
        with_configured(mode, role, configured)
    }

    fn with_configured(mode: NetworkMode, role: Field<String>, configured: Field<bool>) -> Model {
        let mut m = Model::default();
        m.task_definitions
            .push(t::task_definition("aws_ecs_task_definition.api", mode));
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        s.iam_role = role;
        s.iam_role_configured = configured;
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
    fn passes_for_bridge_or_service_linked() {
        let role = Field::known("ecs-service".to_string());
        assert!(run(&IamRoleAwsvpc, &model(NetworkMode::Bridge, role)).is_empty());
        assert!(run(
            &IamRoleAwsvpc,
            &model(NetworkMode::Bridge, Field::unknown())
        )
        .is_empty());
        let slr = Field::known(
            "arn:aws:iam::1:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
                .to_string(),
        );
        assert!(run(&IamRoleAwsvpc, &model(NetworkMode::Awsvpc, slr)).is_empty());
    }

    #[test]
    fn what_the_configuration_says_decides() {
        let slr = Field::known("aws-service-role".to_string());
        // Provider 3.x state of a service created without a role.
        assert!(run(&IamRoleAwsvpc, &model(NetworkMode::Awsvpc, slr.clone())).is_empty());
        // The configuration writes the service-linked role itself: still a role.
        let d = run(
            &IamRoleAwsvpc,
            &with_configured(NetworkMode::Awsvpc, slr, Field::known(true)),
        );
        assert_eq!(firm(&d).len(), 1);
        // A role created in the same plan, set by a literal reference chain: fires unknown.
        let d = run(
            &IamRoleAwsvpc,
            &with_configured(NetworkMode::Awsvpc, Field::unknown(), Field::known(true)),
        );
        assert_eq!(firm(&d).len(), 1);
        assert!(
            d[0].message.contains("(known after apply)"),
            "{}",
            d[0].message
        );
        // An expression that cannot be evaluated, unknown until apply: a note.
        let d = run(
            &IamRoleAwsvpc,
            &model(NetworkMode::Awsvpc, Field::unknown()),
        );
        assert_eq!(unverified(&d).len(), 1);
        // A role the configuration leaves out, whatever the plan shows.
        let d = run(
            &IamRoleAwsvpc,
            &with_configured(
                NetworkMode::Awsvpc,
                Field::known("legacy-ecs-role".into()),
                Field::known(false),
            ),
        );
        assert!(d.is_empty());
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
