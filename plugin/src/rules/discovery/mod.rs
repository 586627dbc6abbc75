//! Service discovery and Service Connect rules (NET060-NET062): one file per rule.

use super::Rule;

mod record_types_by_mode;
mod service_connect_port_names;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &record_types_by_mode::RecordTypesByMode,
        &service_connect_port_names::ServiceConnectPortNames,
    ]
}
