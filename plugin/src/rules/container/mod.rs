//! Container network parameters that depend on the mode (NET030-NET033): one file per rule.

use super::Rule;

mod common;
mod extra_hosts;
mod hostname;
mod links;
mod system_controls;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &links::Links,
        &hostname::Hostname,
        &extra_hosts::ExtraHosts,
        &system_controls::SystemControls,
    ]
}
