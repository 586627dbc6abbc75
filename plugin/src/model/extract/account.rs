//! `aws_ecs_account_setting_default`: account-wide ECS settings the network rules need.

use crate::model::{Field, Model, Val};
use crate::plan::{Action, AttrRef, Resource};

/// "enabled" turns a setting on; anything else (usually "disabled") leaves it off.
fn enabled(value: AttrRef<'_>) -> Field<bool> {
    let value = value.string();
    match value.val {
        Val::Known(s) => Field::known(s.eq_ignore_ascii_case("enabled")),
        Val::Null => Field::null(),
        Val::Unknown => Field::unknown(),
    }
    .with_sensitive(value.sensitive)
}

/// What the setting named `name` was before the plan: the prior state's value when it is the
/// same setting; unknown when the plan creates it (the account may have had any value); the
/// planned value when the plan shows no prior state (a plan without change entries).
fn before(res: &Resource, name: &str, after: &Field<bool>) -> Field<bool> {
    match (&res.before, res.action) {
        (Some(b), _) if b.root().get("name").string().get().map(String::as_str) == Some(name) => {
            enabled(b.root().get("value"))
        }
        (Some(_), _) | (None, Action::Create | Action::Replace) => Field::unknown(),
        (None, _) => after.clone(),
    }
}

pub(super) fn extract(res: &Resource, model: &mut Model) {
    let v = res.values.root();
    let name = v.get("name").string();
    let enabled = enabled(v.get("value"));
    let settings = &mut model.account_settings;
    match name.get().map(String::as_str) {
        Some("awsvpcTrunking") => {
            settings.awsvpc_trunking_before = before(res, "awsvpcTrunking", &enabled);
            settings.awsvpc_trunking = enabled;
            settings.awsvpc_trunking_address = Some(res.address.clone());
        }
        Some("dualStackIPv6") => {
            settings.dual_stack_ipv6 = enabled;
            settings.dual_stack_ipv6_address = Some(res.address.clone());
        }
        _ => {}
    }
}
