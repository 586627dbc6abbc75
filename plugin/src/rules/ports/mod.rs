//! Port mapping rules (NET010-NET021): one file per rule, helpers in `common`.

use super::Rule;

mod awsvpc_host_port;
pub(crate) mod common;
mod container_port_required;
mod duplicate_host_port;
mod ephemeral_range;
mod host_mode_host_port;
mod multi_protocol;
mod none_no_ports;
mod port_ranges;
mod reserved_ports;
mod static_port_limit;
mod windows_fargate_reserved_port;
mod windows_task_role_port;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &awsvpc_host_port::AwsvpcHostPort,
        &host_mode_host_port::HostModeHostPort,
        &none_no_ports::NoneNoPorts,
        &duplicate_host_port::DuplicateHostPort,
        &multi_protocol::MultiProtocol,
        &container_port_required::ContainerPortRequired,
        &port_ranges::PortRanges,
        &reserved_ports::ReservedPorts,
        &ephemeral_range::EphemeralRange,
        &static_port_limit::StaticPortLimit,
        &windows_task_role_port::WindowsTaskRolePort,
        &windows_fargate_reserved_port::WindowsFargateReservedPort,
    ]
}
