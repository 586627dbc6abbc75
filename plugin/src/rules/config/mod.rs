//! Rules about `.ecsnet.hcl` itself, checked against the plan (NET099): one file per rule.

use super::Rule;

mod assumptions;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![&assumptions::AssumptionConsistency]
}
