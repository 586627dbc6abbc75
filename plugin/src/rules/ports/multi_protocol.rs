//! NET014: a container port is exposed with one protocol only.

use super::common::{cname, mapping_path, num, ports_containers};
use crate::diagnostics::Diagnostic;
use crate::model::NetworkMode;
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// No container has two port mappings with the same `containerPort` and different
    /// `protocol`s (for example 53/tcp and 53/udp). Checked in every mode except `none`, where
    /// NET012 already rejects all mappings; the mode does not matter, so an unknown mode does
    /// not stop the check.
    ///
    /// ## Why it matters
    /// The PortMapping reference: "You can't expose the same container port for multiple
    /// protocols. If you attempt this, an error is returned." The apply fails at
    /// RegisterTaskDefinition.
    ///
    /// ## Example
    /// ```hcl
    /// container_definitions = jsonencode([{
    ///   name  = "dns"
    ///   image = "example/dns:1"
    ///   portMappings = [
    ///     { containerPort = 53, protocol = "udp" },
    ///     { containerPort = 53, protocol = "tcp" },   # NET014
    ///   ]
    /// }])
    /// ```
    ///
    /// ## How to fix
    /// Keep one protocol per container port. If the service really needs both, listen on a
    /// second port for the other protocol, or run a second container.
    pub struct MultiProtocol {
        id: "NET014",
        name: "container-port-multiple-protocols",
        severity: Error,
        summary: "A container port cannot be exposed for several protocols",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    }
}

impl Rule for MultiProtocol {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if matches!(td.network_mode, NetworkMode::None | NetworkMode::Invalid(_)) {
                continue;
            }
            let Some((containers, sensitive)) = ports_containers(cx, &Self::META, td, out) else {
                continue;
            };
            for (i, c) in containers.iter().enumerate() {
                let pms = &c.port_mappings;
                for (j, pm) in pms.iter().enumerate() {
                    let Some(cp) = pm.container_port else {
                        continue;
                    };
                    let first = pms[..j]
                        .iter()
                        .position(|o| o.container_port == Some(cp) && o.protocol != pm.protocol);
                    // Report only the first mapping that adds a new protocol for this port.
                    let repeated = pms[..j]
                        .iter()
                        .any(|o| o.container_port == Some(cp) && o.protocol == pm.protocol);
                    let Some(k) = first else { continue };
                    if repeated {
                        continue;
                    }
                    cx.diag(
                        &Self::META,
                        &td.address,
                        format!(
                            "container {} exposes containerPort {} as {} and as {} ({})",
                            cname(c, sensitive),
                            num(cp, sensitive),
                            pms[k].protocol,
                            pm.protocol,
                            mapping_path(i, k),
                        ),
                    )
                    .attribute(format!("{}.protocol", mapping_path(i, j)))
                    .detail("The PortMapping reference: you can't expose the same container port for multiple protocols; RegisterTaskDefinition returns an error.")
                    .help("Keep one protocol per container port; serve the other protocol on another port or from another container.")
                    .plan(td.plan)
                    .push(out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::model::testing::{container, port, task_definition};
    use crate::model::{Container, Field, Model, PortMapping};
    use crate::rules::ports::common::run_rule;

    fn run(mode: NetworkMode, cs: Vec<Container>) -> Vec<Diagnostic> {
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.containers = Field::known(cs);
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&MultiProtocol, &model, &Assumptions::default())
    }

    fn udp(p: i64) -> PortMapping {
        PortMapping {
            protocol: "udp".into(),
            ..port(p, None)
        }
    }

    #[test]
    fn fires_on_tcp_and_udp() {
        let d = run(
            NetworkMode::Bridge,
            vec![container(
                "dns",
                vec![udp(53), port(53, None), port(53, None)],
            )],
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].portMappings[1].protocol")
        );
        assert!(
            d[0].message.contains("as udp and as tcp"),
            "{}",
            d[0].message
        );
        // The mode is irrelevant, so an unknown mode still checks.
        assert_eq!(
            run(
                NetworkMode::Unknown,
                vec![container("dns", vec![udp(53), port(53, None)])]
            )
            .len(),
            1
        );
    }

    #[test]
    fn passes_separate_containers_and_none() {
        assert!(run(
            NetworkMode::Awsvpc,
            vec![
                container("a", vec![udp(53)]),
                container("b", vec![port(53, None)])
            ]
        )
        .is_empty());
        assert!(run(
            NetworkMode::Awsvpc,
            vec![container("a", vec![udp(53), port(54, None)])]
        )
        .is_empty());
        assert!(run(
            NetworkMode::None,
            vec![container("a", vec![udp(53), port(53, None)])]
        )
        .is_empty());
    }
}
