//! NET012: a `none` task definition has no port mappings.

use super::common::{cname, container_path, ports_containers};
use crate::diagnostics::Diagnostic;
use crate::model::NetworkMode;
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// No container of a task definition with `network_mode = "none"` has `portMappings`.
    ///
    /// When `container_definitions` is known only after apply, this rule reports the port
    /// group's single unverifiable info for `none` task definitions.
    ///
    /// ## Why it matters
    /// In `none` mode the task has only a loopback interface, so nothing can be published. The
    /// RegisterTaskDefinition and ContainerDefinition references say port mappings cannot be
    /// specified with `none`; the definition is rejected (exact error text unverified).
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "batch" {
    ///   network_mode = "none"
    ///   container_definitions = jsonencode([{
    ///     name         = "batch"
    ///     image        = "example/batch:1"
    ///     portMappings = [{ containerPort = 8080 }]   # NET012
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove `portMappings`, or pick a mode with networking (`awsvpc`, `bridge`, `host`) if the
    /// container must be reachable.
    pub struct NoneNoPorts {
        id: "NET012",
        name: "none-mode-port-mappings",
        severity: Error,
        summary: "Port mappings cannot be specified with network_mode none",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    }
}

impl Rule for NoneNoPorts {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if td.network_mode != NetworkMode::None {
                continue;
            }
            let Some((containers, sensitive)) = ports_containers(cx, &Self::META, td, out) else {
                continue;
            };
            for (i, c) in containers.iter().enumerate() {
                let n = c.port_mappings.len();
                if n == 0 {
                    continue;
                }
                cx.diag(
                    &Self::META,
                    &td.address,
                    format!(
                        "container {} has {n} port mapping{} but network_mode is none, which allows none",
                        cname(c, sensitive),
                        if n == 1 { "" } else { "s" }
                    ),
                )
                .attribute(format!("{}.portMappings", container_path(i)))
                .help("Remove portMappings from the container, or use awsvpc, bridge or host if it must be reachable.")
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
    use crate::model::testing::{container, port, task_definition};
    use crate::model::{Container, Field, Model};
    use crate::rules::ports::common::run_rule;

    fn run(mode: NetworkMode, containers: Field<Vec<Container>>) -> Vec<Diagnostic> {
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.containers = containers;
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&NoneNoPorts, &model, &Assumptions::default())
    }

    #[test]
    fn fires_per_container_with_mappings() {
        let cs = vec![
            container("a", vec![]),
            container("b", vec![port(80, None), port(81, None)]),
        ];
        let d = run(NetworkMode::None, Field::known(cs));
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[1].portMappings")
        );
        assert!(d[0].message.contains("2 port mappings"));
    }

    #[test]
    fn passes_without_mappings_or_in_other_modes() {
        assert!(run(
            NetworkMode::None,
            Field::known(vec![container("a", vec![])])
        )
        .is_empty());
        assert!(run(
            NetworkMode::Bridge,
            Field::known(vec![container("a", vec![port(80, None)])])
        )
        .is_empty());
    }

    #[test]
    fn undecodable_containers_give_one_info() {
        let mut td = task_definition("aws_ecs_task_definition.a", NetworkMode::None);
        td.containers = Field::null();
        td.containers_error = Some("container_definitions is not a JSON array".into());
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        let d = run_rule(&NoneNoPorts, &model, &Assumptions::default());
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
        assert!(d[0]
            .message
            .starts_with("container_definitions is not a JSON array"));
    }

    #[test]
    fn unknown_containers_give_one_info() {
        let d = run(NetworkMode::None, Field::unknown());
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
    }
}
