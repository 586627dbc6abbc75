//! Network mode selection rules (NET001-NET005): one file per rule.

use super::Rule;

mod fargate_requires_awsvpc;
mod fargate_service_compat;
mod valid_network_mode;
mod windows_modes;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &valid_network_mode::ValidNetworkMode,
        &fargate_requires_awsvpc::FargateRequiresAwsvpc,
        &fargate_service_compat::FargateServiceCompat,
        &windows_modes::WindowsModes,
    ]
}
