//! NET015: every port mapping has a valid containerPort (or a containerPortRange).

use super::common::{cname, mapping_path, num, ports_containers, PORT_MAX, PORT_MIN};
use crate::diagnostics::Diagnostic;
use crate::model::NetworkMode;
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// Each `portMappings` entry sets `containerPort` between 1 and 65535, unless it uses
    /// `containerPortRange` (checked by NET016). Checked in every mode except `none` (NET012).
    ///
    /// ## Why it matters
    /// `containerPort` is required when `portMappings` is used; RegisterTaskDefinition rejects
    /// a missing or out-of-range value with "Invalid 'containerPort' setting for container 'X'".
    /// Typical causes: a typo in the key (`containerport`, `port`), a string where a number is
    /// expected, or `0` copied from a host port.
    ///
    /// ## Example
    /// ```hcl
    /// container_definitions = jsonencode([{
    ///   name         = "api"
    ///   image        = "example/api:1"
    ///   portMappings = [{ hostPort = 8080 }]   # NET015: containerPort missing
    /// }])
    /// ```
    ///
    /// ## How to fix
    /// Set `containerPort` to the port the process listens on (1-65535), or use
    /// `containerPortRange` for a range.
    pub struct ContainerPortRequired {
        id: "NET015",
        name: "container-port-required",
        severity: Error,
        summary: "containerPort is required in port mappings and must be 1-65535",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
    }
}

impl Rule for ContainerPortRequired {
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
                for (j, pm) in c.port_mappings.iter().enumerate() {
                    if pm.container_port_range.is_some() {
                        continue;
                    }
                    let message = match pm.container_port {
                        None => format!(
                            "port mapping {j} of container {} has no containerPort",
                            cname(c, sensitive)
                        ),
                        Some(p) if !(PORT_MIN..=PORT_MAX).contains(&p) => format!(
                            "containerPort {} of container {} is outside 1-65535",
                            num(p, sensitive),
                            cname(c, sensitive)
                        ),
                        Some(_) => continue,
                    };
                    cx.diag(&Self::META, &td.address, message)
                        .attribute(format!("{}.containerPort", mapping_path(i, j)))
                        .detail(format!(
                            "RegisterTaskDefinition rejects it: \"Invalid 'containerPort' setting for container '{}'\".",
                            crate::model::show_value(&c.name, sensitive)
                        ))
                        .help("Set containerPort to the port the process listens on (1-65535), or use containerPortRange for a range of ports.")
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
    use crate::model::{Field, Model, PortMapping};
    use crate::rules::ports::common::run_rule;

    fn run(mode: NetworkMode, ports: Vec<PortMapping>) -> Vec<Diagnostic> {
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.containers = Field::known(vec![container("api", ports)]);
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&ContainerPortRequired, &model, &Assumptions::default())
    }

    #[test]
    fn fires_on_missing_and_out_of_range() {
        let missing = PortMapping {
            container_port: None,
            ..port(0, Some(8080))
        };
        let d = run(
            NetworkMode::Bridge,
            vec![missing, port(0, None), port(70000, None), port(80, None)],
        );
        assert_eq!(d.len(), 3);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].portMappings[0].containerPort")
        );
        assert!(d[0].message.contains("no containerPort"));
        assert!(d[2].message.contains("70000"));
    }

    #[test]
    fn passes_valid_ports_and_ranges() {
        let range = PortMapping {
            container_port: None,
            container_port_range: Some("8000-8010".into()),
            ..port(0, None)
        };
        assert!(run(
            NetworkMode::Awsvpc,
            vec![port(1, None), port(65535, None), range]
        )
        .is_empty());
        assert!(run(NetworkMode::None, vec![port(0, None)]).is_empty());
    }

    #[test]
    fn unknown_containers_info_is_not_this_rules() {
        // The port group's unknown-containers info is owned by NET010-NET013.
        let mut td = task_definition("aws_ecs_task_definition.a", NetworkMode::Awsvpc);
        td.containers = Field::unknown();
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        assert!(run_rule(&ContainerPortRequired, &model, &Assumptions::default()).is_empty());
    }
}
