//! IPv6 / dual-stack rules (NET090): one file per rule.

use super::Rule;

mod dual_stack;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![&dual_stack::DualStack]
}
