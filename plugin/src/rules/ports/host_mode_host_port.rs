//! NET011: in host mode a host port is omitted or equals the container port.

use super::awsvpc_host_port::check_matching_ports;
use super::common::ports_containers;
use crate::diagnostics::Diagnostic;
use crate::model::NetworkMode;
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// In a `host` task definition, every `portMappings[].hostPort` is omitted or equal to its
    /// `containerPort` (`hostPort: 0` included: host mode has no dynamic ports).
    ///
    /// When `container_definitions` is known only after apply, this rule reports the port
    /// group's single unverifiable info for `host` task definitions.
    ///
    /// ## Why it matters
    /// In host mode containers bind directly on the instance's network stack, so a port cannot be
    /// remapped. The PortMapping reference says host ports "must either be undefined or match
    /// the container port", and RegisterTaskDefinition rejects a mismatch.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "agent" {
    ///   network_mode = "host"
    ///   container_definitions = jsonencode([{
    ///     name         = "agent"
    ///     image        = "example/agent:1"
    ///     portMappings = [{ containerPort = 8125, hostPort = 0, protocol = "udp" }]   # NET011
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove `hostPort` or set it to the `containerPort`. If you need dynamic host ports, use
    /// `bridge` mode; if you need one address per task, use `awsvpc`.
    pub struct HostModeHostPort {
        id: "NET011",
        name: "host-mode-host-port",
        severity: Error,
        summary: "In host mode hostPort must be omitted or equal to containerPort",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    }
}

impl Rule for HostModeHostPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if td.network_mode != NetworkMode::Host {
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
    use crate::model::testing::{container, port, task_definition};
    use crate::model::{Field, Model, PortMapping};
    use crate::rules::ports::common::run_rule;

    fn run(mode: NetworkMode, containers: Field<Vec<crate::model::Container>>) -> Vec<Diagnostic> {
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.containers = containers;
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&HostModeHostPort, &model, &Assumptions::default())
    }

    fn one(ports: Vec<PortMapping>) -> Field<Vec<crate::model::Container>> {
        Field::known(vec![container("agent", ports)])
    }

    #[test]
    fn fires_on_mismatch_and_zero() {
        let d = run(
            NetworkMode::Host,
            one(vec![port(8125, Some(0)), port(80, Some(8080))]),
        );
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("host mode"), "{}", d[0].message);
        assert_eq!(
            d[1].attribute.as_deref(),
            Some("container_definitions[0].portMappings[1].hostPort")
        );
    }

    #[test]
    fn passes_matching_and_other_modes() {
        assert!(run(
            NetworkMode::Host,
            one(vec![port(8125, None), port(80, Some(80))])
        )
        .is_empty());
        assert!(run(NetworkMode::Bridge, one(vec![port(80, Some(0))])).is_empty());
    }

    #[test]
    fn unknown_containers_give_one_info() {
        let d = run(NetworkMode::Host, Field::unknown());
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
        // Other modes' infos belong to other rules.
        assert!(run(NetworkMode::Awsvpc, Field::unknown()).is_empty());
    }
}
