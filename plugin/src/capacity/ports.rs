//! Static host ports against instances: a container instance can hold each (port,
//! protocol) for one task at a time, so the tasks needing it cannot outnumber the
//! instances. Which mappings hold a port is [`crate::model::ports`]'s to say.

use std::collections::BTreeSet;

use serde::Serialize;

use super::bound::Bound;
use super::Missing;
use crate::model::TaskDefinition;

/// One static (port, protocol) of a task.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct StaticPort {
    pub port: i64,
    pub protocol: String,
}

/// The static host ports one task of `td` holds on its instance, as (port, protocol) keys
/// (which mappings count is decided in [`crate::model::ports`]). `sensitive` is true when
/// the container definitions are sensitive: the ports may be compared, never printed.
pub fn static_ports(td: &TaskDefinition) -> Result<(BTreeSet<StaticPort>, bool), Missing> {
    let ports = td.static_host_ports()?;
    let set = ports
        .into_iter()
        .map(|p| StaticPort {
            port: p.port,
            protocol: p.protocol,
        })
        .collect();
    Ok((set, td.containers.sensitive))
}

/// Everything on one cluster that needs one (port, protocol).
#[derive(Debug, Clone, Serialize)]
pub struct PortDemand {
    pub port: StaticPort,
    /// Never print the number when true.
    pub sensitive: bool,
    /// REPLICA services (indices into `Analysis::services`).
    pub services: Vec<usize>,
    /// DAEMON services: they hold the port on every instance.
    pub daemons: Vec<usize>,
    /// Σ desired of the REPLICA services.
    pub desired: Bound,
}

impl PortDemand {
    /// "80/tcp", or "a static port (sensitive)/tcp".
    pub fn show(&self) -> String {
        if self.sensitive {
            format!("(sensitive)/{}", self.port.protocol)
        } else {
            format!("{}/{}", self.port.port, self.port.protocol)
        }
    }
    /// Instances where a REPLICA task can take the port: none when a daemon holds it.
    pub fn available(&self, instances: Bound) -> Bound {
        if self.daemons.is_empty() {
            instances
        } else {
            Bound::ZERO
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, NetworkMode};

    #[test]
    fn host_and_bridge_static_ports() {
        let mut td = t::task_definition("aws_ecs_task_definition.a", NetworkMode::Host);
        td.containers = Field::known(vec![t::container(
            "web",
            vec![t::port(80, None), t::port(443, Some(443))],
        )]);
        let (p, s) = static_ports(&td).unwrap();
        assert_eq!(p.len(), 2);
        assert!(!s);

        let mut td = t::task_definition("aws_ecs_task_definition.b", NetworkMode::Bridge);
        td.containers = Field::known(vec![t::container(
            "web",
            vec![
                t::port(80, Some(8080)),
                t::port(81, Some(0)),
                t::port(82, None),
            ],
        )]);
        let (p, _) = static_ports(&td).unwrap();
        assert_eq!(
            p.into_iter().collect::<Vec<_>>(),
            vec![StaticPort {
                port: 8080,
                protocol: "tcp".into()
            }]
        );
    }

    #[test]
    fn awsvpc_has_none_and_unknown_is_missing() {
        let mut td = t::task_definition("aws_ecs_task_definition.a", NetworkMode::Awsvpc);
        td.containers = Field::known(vec![t::container("w", vec![t::port(80, Some(80))])]);
        assert!(static_ports(&td).unwrap().0.is_empty());
        let mut td = t::task_definition("aws_ecs_task_definition.a", NetworkMode::Host);
        td.containers = Field::unknown();
        assert!(static_ports(&td).is_err());
    }

    #[test]
    fn sensitive_ports_are_not_shown() {
        let d = PortDemand {
            port: StaticPort {
                port: 5432,
                protocol: "tcp".into(),
            },
            sensitive: true,
            services: vec![],
            daemons: vec![],
            desired: Bound::ZERO,
        };
        assert!(!d.show().contains("5432"));
    }
}
