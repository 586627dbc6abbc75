//! NET003: a Fargate-compatible task definition must use awsvpc.

use crate::diagnostics::Diagnostic;
use crate::model::NetworkMode;
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// An `aws_ecs_task_definition` whose `requires_compatibilities` contains `FARGATE` sets
    /// `network_mode = "awsvpc"`. Any other mode is reported, and so is an omitted mode, which
    /// ECS resolves to `bridge` (Linux) or `default` (Windows).
    ///
    /// ## Why it matters
    /// RegisterTaskDefinition validates the definition against every launch type it lists and
    /// rejects it with "Fargate only supports network mode 'awsvpc'", so the apply fails.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   family                   = "api"
    ///   requires_compatibilities = ["FARGATE"]
    ///   cpu                      = "256"
    ///   memory                   = "512"
    ///   # network_mode omitted: NET003 (it defaults to bridge)
    ///   container_definitions = jsonencode([{ name = "api", image = "nginx" }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Add `network_mode = "awsvpc"` and give the services that run it a
    /// `network_configuration` block. If the task must use another mode, remove `FARGATE` from
    /// `requires_compatibilities` and run it on EC2 capacity.
    pub struct FargateRequiresAwsvpc {
        id: "NET003",
        name: "fargate-requires-awsvpc",
        severity: Error,
        summary: "A task definition that requires FARGATE must use network_mode awsvpc",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html",
    }
}

impl Rule for FargateRequiresAwsvpc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            // Unknown and invalid modes are reported by NET001.
            if matches!(
                td.network_mode,
                NetworkMode::Awsvpc | NetworkMode::Unknown | NetworkMode::Invalid(_)
            ) {
                continue;
            }
            let what = super::mode_phrase(td);
            if td.requires_compatibilities.is_unknown() {
                cx.diag(
                    &Self::META,
                    &td.address,
                    format!("requires_compatibilities is known only after apply; if it contains FARGATE the task definition is rejected because {what}"),
                )
                .attribute("requires_compatibilities")
                .help("Set requires_compatibilities from a literal list or a variable known at plan time.")
                .plan(td.plan)
                .unverifiable()
                .missing(vec![crate::diagnostics::Missing::after_apply(format!("requires_compatibilities of {} (known after apply)", td.address), "requires_compatibilities from a literal list or a variable known at plan time")])
                .push(out);
                continue;
            }
            if td.requires_fargate() == Some(true) {
                cx.diag(
                    &Self::META,
                    &td.address,
                    format!("requires_compatibilities contains FARGATE but {what}; Fargate only supports network mode awsvpc"),
                )
                .attribute("network_mode")
                .detail("RegisterTaskDefinition rejects it: \"Fargate only supports network mode 'awsvpc'.\"")
                .help("Set network_mode = \"awsvpc\" (and a network_configuration on the services), or remove FARGATE from requires_compatibilities to run on EC2.")
                .plan(td.plan)
                .push(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::diagnostics::Severity;
    use crate::model::testing::task_definition;
    use crate::model::{Field, Model, TaskDefinition};
    use crate::rules::ports::common::run_rule;

    fn fargate(mode: NetworkMode) -> TaskDefinition {
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.requires_compatibilities = Field::known(vec!["FARGATE".into()]);
        td
    }

    fn run(td: TaskDefinition) -> Vec<Diagnostic> {
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&FargateRequiresAwsvpc, &model, &Assumptions::default())
    }

    #[test]
    fn fires_on_fargate_with_bridge_or_omitted_mode() {
        let d = run(fargate(NetworkMode::Host));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].message.contains("\"host\""), "{}", d[0].message);

        // task_definition(.., Bridge) models an omitted mode.
        let d = run(fargate(NetworkMode::Bridge));
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("omitted"), "{}", d[0].message);
    }

    #[test]
    fn passes_awsvpc_and_ec2_only() {
        assert!(run(fargate(NetworkMode::Awsvpc)).is_empty());
        let mut ec2 = fargate(NetworkMode::Bridge);
        ec2.requires_compatibilities = Field::known(vec!["EC2".into()]);
        assert!(run(ec2).is_empty());
        let mut none = fargate(NetworkMode::Bridge);
        none.requires_compatibilities = Field::null();
        assert!(run(none).is_empty());
    }

    #[test]
    fn unknown_compatibilities_is_unverifiable() {
        let mut td = fargate(NetworkMode::Bridge);
        td.requires_compatibilities = Field::unknown();
        let d = run(td);
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
        // With awsvpc nothing depends on it.
        let mut td = fargate(NetworkMode::Awsvpc);
        td.requires_compatibilities = Field::unknown();
        assert!(run(td).is_empty());
    }
}
