//! Rules of this group: one file per rule.

use super::Rule;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![]
}
