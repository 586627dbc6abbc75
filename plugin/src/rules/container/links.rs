//! NET030: container links work only in bridge mode.

use super::common::{fargate, group_containers};
use crate::diagnostics::Diagnostic;
use crate::model::{NetworkMode, OsFamily};
use crate::rules::ports::common::{cname, container_path};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// A container sets `links` only when the task definition uses `bridge` mode, is not
    /// Windows (`runtime_platform.operating_system_family`) and does not list `FARGATE` in
    /// `requires_compatibilities`.
    ///
    /// This rule also reports the container-parameter group's single unverifiable info per task
    /// definition (for NET030-NET033) when `container_definitions`, the OS family or
    /// `requires_compatibilities` is known only after apply.
    ///
    /// ## Why it matters
    /// Links are a Docker bridge-network feature. RegisterTaskDefinition rejects them in other
    /// modes ("Links are not supported when networkMode=awsvpc"), and the ContainerDefinition
    /// reference says they are not supported on Windows or Fargate. Definitions migrated from
    /// bridge to awsvpc often keep their old `links`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "app" {
    ///   network_mode = "awsvpc"
    ///   container_definitions = jsonencode([
    ///     { name = "app", image = "example/app:1", links = ["redis"] },   # NET030
    ///     { name = "redis", image = "redis:7" },
    ///   ])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove `links`. In `awsvpc` mode containers of a task share a network namespace and reach
    /// each other on `localhost`; across tasks use service discovery or Service Connect.
    pub struct Links {
        id: "NET030",
        name: "links-bridge-only",
        severity: Error,
        summary: "Container links are supported only in bridge mode (not Windows or Fargate)",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    }
}

impl Rule for Links {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            let Some((containers, s)) = group_containers(cx, &Self::META, td, out) else {
                continue;
            };
            let mut reasons = Vec::new();
            match &td.network_mode {
                NetworkMode::Bridge | NetworkMode::Unknown => {}
                m => reasons.push(format!("network_mode is {}", m.as_str())),
            }
            if td.os_family == OsFamily::Windows {
                reasons.push("the task definition runs Windows containers".to_string());
            }
            if fargate(td) == Some(true) {
                reasons.push("requires_compatibilities contains FARGATE".to_string());
            }
            if reasons.is_empty() {
                continue;
            }
            for (i, c) in containers.iter().enumerate() {
                if c.links.is_empty() {
                    continue;
                }
                cx.diag(
                    &Self::META,
                    &td.address,
                    format!(
                        "container {} sets links, which work only in bridge mode on Linux EC2, but {}",
                        cname(c, s),
                        reasons.join(" and ")
                    ),
                )
                .attribute(format!("{}.links", container_path(i)))
                .help("Remove links: in awsvpc mode containers of a task reach each other on localhost; across tasks use service discovery or Service Connect.")
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
    use crate::model::testing::{container, task_definition};
    use crate::model::{Container, Field, Model, TaskDefinition};
    use crate::rules::ports::common::run_rule;

    fn linked() -> Container {
        let mut c = container("app", vec![]);
        c.links = vec!["redis".into()];
        c
    }

    fn td(mode: NetworkMode, cs: Vec<Container>) -> TaskDefinition {
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.containers = Field::known(cs);
        td
    }

    fn run(td: TaskDefinition) -> Vec<Diagnostic> {
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&Links, &model, &Assumptions::default())
    }

    #[test]
    fn fires_outside_bridge_windows_and_fargate() {
        let d = run(td(
            NetworkMode::Awsvpc,
            vec![container("redis", vec![]), linked()],
        ));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[1].links")
        );
        assert!(d[0].message.contains("'app'") && d[0].message.contains("awsvpc"));

        let mut win = td(NetworkMode::WindowsDefault, vec![linked()]);
        win.os_family = OsFamily::Windows;
        assert_eq!(run(win).len(), 1);

        let mut f = td(NetworkMode::Bridge, vec![linked()]);
        f.requires_compatibilities = Field::known(vec!["FARGATE".into()]);
        assert!(run(f)[0].message.contains("FARGATE"));
    }

    #[test]
    fn passes_in_linux_bridge() {
        assert!(run(td(NetworkMode::Bridge, vec![linked()])).is_empty());
        assert!(run(td(NetworkMode::Awsvpc, vec![container("app", vec![])])).is_empty());
    }

    #[test]
    fn unknown_inputs_give_one_group_info() {
        let mut t = td(NetworkMode::Awsvpc, vec![]);
        t.containers = Field::unknown();
        let d = run(t);
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
        // Linux EC2 bridge: nothing in the group could fire, so no info.
        let mut t = td(NetworkMode::Bridge, vec![]);
        t.containers = Field::unknown();
        assert!(run(t).is_empty());
        // Known containers with links, but the OS family is unknown.
        let mut t = td(NetworkMode::Bridge, vec![linked()]);
        t.os_family = OsFamily::Unknown;
        let d = run(t);
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
        assert!(d[0].message.contains("operating_system_family"));
    }
}
