//! The static host ports of a task: the one place that decides which port mappings hold a
//! port on the container instance. The port rules (NET013, NET017–NET019), the capacity
//! analysis (NET073, NET074, NET075) and the daemon rule (NET081) all ask here, so one task
//! is never counted two ways.
//!
//! - bridge and Windows `default` (nat): a `hostPort` other than 0 (0 or omitted is a
//!   dynamic port, picked by the agent);
//! - host: the container port (ECS requires `hostPort` omitted or equal to it, NET011), or
//!   the host port when only that is given;
//! - awsvpc and none: nothing on the instance (awsvpc ports live on the task's own ENI);
//! - port ranges (`containerPortRange`) are never static: in bridge mode the agent picks the
//!   host ports, and ECS accepts ranges only in bridge and awsvpc mode (NET016).

use super::{Container, NetworkMode, PortMapping, TaskDefinition};
use crate::diagnostics::Missing;

/// One host port a task holds on its container instance.
#[derive(Debug, Clone, PartialEq)]
pub struct HostPort {
    pub port: i64,
    /// Lower-cased (`tcp` when the mapping omits it).
    pub protocol: String,
    /// Index of the container in `container_definitions`.
    pub container: usize,
    /// Index of the mapping in that container's `portMappings`.
    pub mapping: usize,
    /// The attribute that sets the port (`...hostPort`, or `...containerPort` in host mode
    /// when `hostPort` is omitted).
    pub attribute: String,
}

/// `container_definitions[3].portMappings[1]`.
pub fn mapping_path(container: usize, mapping: usize) -> String {
    format!("container_definitions[{container}].portMappings[{mapping}]")
}

/// The static host port of one mapping, if it holds one.
pub fn static_port_of(
    mode: &NetworkMode,
    container: usize,
    mapping: usize,
    pm: &PortMapping,
) -> Option<HostPort> {
    if pm.container_port_range.is_some() {
        return None;
    }
    let (port, field) = match mode {
        NetworkMode::Bridge | NetworkMode::WindowsDefault => match pm.host_port {
            Some(h) if h != 0 => (h, "hostPort"),
            _ => return None,
        },
        NetworkMode::Host => match (pm.container_port, pm.host_port) {
            (Some(c), Some(_)) => (c, "hostPort"),
            (Some(c), None) => (c, "containerPort"),
            (None, Some(h)) if h != 0 => (h, "hostPort"),
            _ => return None,
        },
        _ => return None,
    };
    Some(HostPort {
        port,
        protocol: pm.protocol.to_ascii_lowercase(),
        container,
        mapping,
        attribute: format!("{}.{field}", mapping_path(container, mapping)),
    })
}

/// Every static host port of containers in `mode`, in definition order.
pub fn static_ports(mode: &NetworkMode, containers: &[Container]) -> Vec<HostPort> {
    containers
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            c.port_mappings
                .iter()
                .enumerate()
                .filter_map(move |(j, pm)| static_port_of(mode, i, j, pm))
        })
        .collect()
}

impl TaskDefinition {
    /// The static host ports one task of this definition holds on its instance, or what
    /// keeps them from being known (the network mode or the container definitions).
    pub fn static_host_ports(&self) -> Result<Vec<HostPort>, Missing> {
        if self.network_mode == NetworkMode::Unknown {
            return Err(Missing::after_apply(
                format!("network_mode of {} (known after apply)", self.address),
                "a known network_mode in the task definition",
            ));
        }
        if !matches!(
            self.network_mode,
            NetworkMode::Bridge | NetworkMode::Host | NetworkMode::WindowsDefault
        ) {
            return Ok(Vec::new());
        }
        match self.containers.get() {
            Some(c) => Ok(static_ports(&self.network_mode, c)),
            None if self.containers.is_null() => Ok(Vec::new()),
            // A value the plan holds that ecsnet cannot decode.
            None if self.containers_error.is_some() => Err(Missing::hidden(
                format!(
                    "container_definitions of {} (not a JSON array of containers)",
                    self.address
                ),
                "container_definitions that decode (build them with jsonencode)",
            )),
            None => Err(Missing::after_apply(
                format!(
                    "container_definitions of {} (known after apply)",
                    self.address
                ),
                "known container_definitions in the plan",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{container, port, task_definition};
    use crate::model::Field;

    #[test]
    fn static_ports_by_mode() {
        let c = vec![container(
            "web",
            vec![port(80, Some(8080)), port(81, None), port(82, Some(0))],
        )];
        let bridge = static_ports(&NetworkMode::Bridge, &c);
        assert_eq!(bridge.len(), 1);
        assert_eq!(bridge[0].port, 8080);
        assert_eq!(
            bridge[0].attribute,
            "container_definitions[0].portMappings[0].hostPort"
        );
        let host = static_ports(&NetworkMode::Host, &c);
        assert_eq!(
            host.iter().map(|p| p.port).collect::<Vec<_>>(),
            vec![80, 81, 82]
        );
        assert_eq!(
            host[1].attribute,
            "container_definitions[0].portMappings[1].containerPort"
        );
        assert!(static_ports(&NetworkMode::Awsvpc, &c).is_empty());
        assert_eq!(static_ports(&NetworkMode::WindowsDefault, &c).len(), 1);
    }

    #[test]
    fn ranges_are_never_static_and_protocols_are_lower_case() {
        let mut pm = port(80, None);
        pm.container_port_range = Some("8000-8010".into());
        assert!(static_port_of(&NetworkMode::Host, 0, 0, &pm).is_none());
        let mut pm = port(53, Some(53));
        pm.protocol = "UDP".into();
        assert_eq!(
            static_port_of(&NetworkMode::Bridge, 0, 0, &pm)
                .unwrap()
                .protocol,
            "udp"
        );
    }

    #[test]
    fn unknown_mode_or_containers_are_missing() {
        let mut td = task_definition("aws_ecs_task_definition.a", NetworkMode::Host);
        td.containers = Field::unknown();
        assert!(td
            .static_host_ports()
            .unwrap_err()
            .what
            .contains("container_definitions"));
        td.network_mode = NetworkMode::Unknown;
        assert!(td
            .static_host_ports()
            .unwrap_err()
            .what
            .contains("network_mode"));
        td.network_mode = NetworkMode::Awsvpc;
        assert!(td.static_host_ports().unwrap().is_empty());
    }
}
