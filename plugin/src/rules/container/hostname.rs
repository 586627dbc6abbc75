//! NET031: no container hostname in awsvpc mode.

use super::common::group_containers;
use crate::diagnostics::Diagnostic;
use crate::model::NetworkMode;
use crate::rules::ports::common::{cname, container_path};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// No container of an `awsvpc` task definition (every Fargate task is one) sets
    /// `hostname`.
    ///
    /// ## Why it matters
    /// In `awsvpc` mode the task's hostname comes from its network interface. RegisterTaskDefinition
    /// rejects the definition: "hostname is not supported on container when
    /// networkMode=awsvpc".
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   network_mode = "awsvpc"
    ///   container_definitions = jsonencode([{
    ///     name     = "api"
    ///     image    = "example/api:1"
    ///     hostname = "api"   # NET031
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove `hostname`. To give tasks a stable DNS name, use service discovery (Cloud Map) or
    /// Service Connect.
    pub struct Hostname {
        id: "NET031",
        name: "no-hostname-awsvpc",
        severity: Error,
        summary: "Containers cannot set hostname in awsvpc mode",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    }
}

impl Rule for Hostname {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if td.network_mode != NetworkMode::Awsvpc {
                continue;
            }
            let Some((containers, s)) = group_containers(cx, &Self::META, td, out) else {
                continue;
            };
            for (i, c) in containers.iter().enumerate() {
                if c.hostname.is_none() {
                    continue;
                }
                cx.diag(
                    &Self::META,
                    &td.address,
                    format!("container {} sets hostname, which is not supported in awsvpc mode", cname(c, s)),
                )
                .attribute(format!("{}.hostname", container_path(i)))
                .detail("RegisterTaskDefinition rejects it: \"hostname is not supported on container when networkMode=awsvpc\".")
                .help("Remove hostname; use service discovery or Service Connect for a stable name.")
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
    use crate::model::testing::{container, task_definition};
    use crate::model::{Field, Model};
    use crate::rules::ports::common::run_rule;

    fn run(mode: NetworkMode, sensitive: bool) -> Vec<Diagnostic> {
        let mut c = container("api-secret", vec![]);
        c.hostname = Some("api".into());
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.containers = Field::known(vec![c]).with_sensitive(sensitive);
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&Hostname, &model, &Assumptions::default())
    }

    #[test]
    fn fires_in_awsvpc() {
        let d = run(NetworkMode::Awsvpc, false);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].hostname")
        );
        let d = run(NetworkMode::Awsvpc, true);
        assert!(!format!("{d:?}").contains("api-secret"));
    }

    #[test]
    fn passes_in_bridge_and_host() {
        assert!(run(NetworkMode::Bridge, false).is_empty());
        assert!(run(NetworkMode::Host, false).is_empty());
    }

    #[test]
    fn unknown_containers_info_belongs_to_net030() {
        let mut td = task_definition("aws_ecs_task_definition.a", NetworkMode::Awsvpc);
        td.containers = Field::unknown();
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        assert!(run_rule(&Hostname, &model, &Assumptions::default()).is_empty());
    }
}
