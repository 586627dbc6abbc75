//! Network mode selection rules (NET001-NET007): one file per rule.

use super::Rule;
use crate::model::{NetworkMode, TaskDefinition};

mod external_restrictions;
mod fargate_requires_awsvpc;
mod fargate_service_compat;
mod managed_instances_modes;
mod valid_network_mode;
mod windows_modes;

/// How a task definition's network mode reads in a message: `network_mode is "host"`, or
/// what an omitted mode means.
pub(super) fn mode_phrase(td: &TaskDefinition) -> String {
    if td.network_mode_explicit {
        format!("network_mode is \"{}\"", td.network_mode_raw.show())
    } else if td.network_mode == NetworkMode::WindowsDefault {
        "network_mode is omitted, so ECS uses the Windows default (nat) mode".to_string()
    } else {
        format!(
            "network_mode is omitted, so ECS uses \"{}\"",
            td.network_mode.as_str()
        )
    }
}

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &valid_network_mode::ValidNetworkMode,
        &fargate_requires_awsvpc::FargateRequiresAwsvpc,
        &fargate_service_compat::FargateServiceCompat,
        &windows_modes::WindowsModes,
        &external_restrictions::ExternalRestrictions,
        &managed_instances_modes::ManagedInstancesModes,
    ]
}
