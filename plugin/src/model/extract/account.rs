//! `aws_ecs_account_setting_default`: account-wide ECS settings the network rules need.

use crate::model::{Field, Model, Val};
use crate::plan::Resource;

pub(super) fn extract(res: &Resource, model: &mut Model) {
    let v = res.values.root();
    let name = v.get("name").string();
    let value = v.get("value").string();
    // "enabled" turns the setting on; anything else (usually "disabled") leaves it off.
    let enabled = match value.val {
        Val::Known(s) => Field::known(s.eq_ignore_ascii_case("enabled")),
        Val::Null => Field::null(),
        Val::Unknown => Field::unknown(),
    }
    .with_sensitive(value.sensitive);
    let settings = &mut model.account_settings;
    match name.get().map(String::as_str) {
        Some("awsvpcTrunking") => {
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
