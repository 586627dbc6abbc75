//! Capacity rules (NET070–NET076): ENI slots, ENI trunking, subnet addresses, static host
//! ports, deployment headroom, blue/green room and unschedulable tasks. One file per rule;
//! the arithmetic lives in [`crate::capacity`].

use super::Rule;

mod blue_green;
mod deployment_headroom;
mod eni_capacity;
mod eni_trunking;
mod static_host_ports;
mod subnet_ipv4;
mod support;
mod unschedulable;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &eni_capacity::EniCapacity,
        &eni_trunking::EniTrunking,
        &subnet_ipv4::SubnetIpv4,
        &static_host_ports::StaticHostPorts,
        &deployment_headroom::DeploymentHeadroom,
        &blue_green::BlueGreenCapacity,
        &unschedulable::Unschedulable,
    ]
}

#[cfg(test)]
mod tests;
