//! NET010: in awsvpc mode a host port is omitted or equals the container port.

use super::common::{cname, mapping_path, num, ports_containers};
use crate::diagnostics::Diagnostic;
use crate::model::{Container, NetworkMode, TaskDefinition};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// In an `awsvpc` task definition, every `portMappings[].hostPort` is omitted or equal to
    /// its `containerPort`. `hostPort: 0` is not treated as omitted: it is a mismatch too.
    ///
    /// When `container_definitions` is known only after apply, this rule reports the port
    /// group's single unverifiable info for `awsvpc` task definitions.
    ///
    /// ## Why it matters
    /// Each awsvpc task has its own ENI, so a container port is exposed on the same port of the
    /// task's address; there is nothing to remap. RegisterTaskDefinition rejects a mismatch with
    /// "When networkMode=awsvpc, the host ports and container ports in port mappings must
    /// match." Users copying bridge-mode definitions (`hostPort = 0` for dynamic ports) hit this.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   network_mode = "awsvpc"
    ///   container_definitions = jsonencode([{
    ///     name         = "api"
    ///     image        = "example/api:1"
    ///     portMappings = [{ containerPort = 8080, hostPort = 80 }]   # NET010
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove `hostPort` or set it to the `containerPort` value. To expose a different port to
    /// clients, change the load balancer listener or the container's listening port instead.
    pub struct AwsvpcHostPort {
        id: "NET010",
        name: "awsvpc-host-port",
        severity: Error,
        summary: "In awsvpc mode hostPort must be omitted or equal to containerPort (0 is rejected)",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    }
}

/// Reports every mapping of `containers` whose `hostPort` is set and differs from its
/// `containerPort`, for the modes (awsvpc, host) where they must match. Shared with NET011.
pub(super) fn check_matching_ports(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    td: &TaskDefinition,
    containers: &[Container],
    sensitive: bool,
    out: &mut Vec<Diagnostic>,
) {
    let mode = td.network_mode.as_str();
    for (i, c) in containers.iter().enumerate() {
        for (j, pm) in c.port_mappings.iter().enumerate() {
            let (Some(cp), Some(hp)) = (pm.container_port, pm.host_port) else {
                continue;
            };
            if cp == hp {
                continue;
            }
            let message = if hp == 0 {
                format!(
                    "container {} sets hostPort 0 for containerPort {}; in {mode} mode 0 does not mean \"dynamic\" and is rejected",
                    cname(c, sensitive),
                    num(cp, sensitive)
                )
            } else {
                format!(
                    "container {} maps hostPort {} to containerPort {}; in {mode} mode the host port must be omitted or equal the container port",
                    cname(c, sensitive),
                    num(hp, sensitive),
                    num(cp, sensitive)
                )
            };
            cx.diag(meta, &td.address, message)
                .attribute(format!("{}.hostPort", mapping_path(i, j)))
                .help(format!(
                    "Remove hostPort or set it to {} (the containerPort).",
                    num(cp, sensitive)
                ))
                .plan(td.plan)
                .push(out);
        }
    }
}

impl Rule for AwsvpcHostPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if td.network_mode != NetworkMode::Awsvpc {
                continue;
            }
            if let Some((containers, sensitive)) = ports_containers(cx, &Self::META, td, out) {
                check_matching_ports(cx, &Self::META, td, containers, sensitive, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::diagnostics::Severity;
    use crate::model::testing::{container, port, task_definition};
    use crate::model::{Field, Model, PortMapping};
    use crate::rules::ports::common::run_rule;

    fn run(mode: NetworkMode, ports: Vec<PortMapping>) -> Vec<Diagnostic> {
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.containers = Field::known(vec![container("web", ports)]);
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&AwsvpcHostPort, &model, &Assumptions::default())
    }

    #[test]
    fn fires_on_mismatch_and_zero() {
        let d = run(
            NetworkMode::Awsvpc,
            vec![port(80, None), port(8080, Some(80)), port(9090, Some(0))],
        );
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].portMappings[1].hostPort")
        );
        assert!(d[0].message.contains("'web'"));
        assert_eq!(
            d[1].attribute.as_deref(),
            Some("container_definitions[0].portMappings[2].hostPort")
        );
        assert!(d[1].message.contains("hostPort 0"));
    }

    #[test]
    fn passes_omitted_or_equal_and_other_modes() {
        assert!(run(
            NetworkMode::Awsvpc,
            vec![port(80, None), port(443, Some(443))]
        )
        .is_empty());
        assert!(run(NetworkMode::Bridge, vec![port(80, Some(8080))]).is_empty());
    }

    #[test]
    fn unknown_containers_give_one_info() {
        let mut td = task_definition("aws_ecs_task_definition.a", NetworkMode::Awsvpc);
        td.containers = Field::unknown();
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        let d = run_rule(&AwsvpcHostPort, &model, &Assumptions::default());
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
        assert_eq!(d[0].severity, Severity::Info);
    }

    #[test]
    fn sensitive_values_are_redacted() {
        let mut td = task_definition("aws_ecs_task_definition.a", NetworkMode::Awsvpc);
        td.containers = Field::known(vec![container("secret-name", vec![port(8443, Some(7443))])])
            .with_sensitive(true);
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        let d = run_rule(&AwsvpcHostPort, &model, &Assumptions::default());
        assert_eq!(d.len(), 1);
        let text = format!("{d:?}");
        assert!(
            !text.contains("secret-name") && !text.contains("8443") && !text.contains("7443"),
            "{text}"
        );
    }
}
