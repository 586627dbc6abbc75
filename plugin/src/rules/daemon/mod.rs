//! DAEMON scheduling rules (NET080-NET081): one file per rule.

use super::Rule;

mod daemon_reservations;
mod daemon_restrictions;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &daemon_restrictions::DaemonRestrictions,
        &daemon_reservations::DaemonReservations,
    ]
}
