//! `aws_lb_target_group` and its older alias `aws_alb_target_group`.

use super::opt_string;
use crate::model::{PlanIndex, TargetGroup};
use crate::plan::{Plan, Resource};

/// A target group as read from its resource, not yet in the model.
pub(super) fn decode(res: &Resource, source: &Plan, plan: PlanIndex) -> TargetGroup {
    let v = res.values.root();
    // A target group whose configuration has no `health_check` block is planned with the
    // whole block unknown; ELB then health-checks `traffic-port`, its default (Null here).
    let health_check_port = super::services::default_when_unwritten(
        &super::written::Writes::new(source, res),
        // Blocks read once are not kept (see `AttrRef::with_member`).
        v.with_member("health_check", |h| super::services::block_string(h, "port")),
        "health_check.0.port",
        &mut None,
    );
    TargetGroup {
        address: res.address.clone(),
        plan,
        name: v.get("name").string(),
        target_type: opt_string(v.get("target_type")),
        port: v.get("port").int(),
        protocol: opt_string(v.get("protocol")),
        health_check_port,
        ip_address_type: opt_string(v.get("ip_address_type")),
        vpc: None,
    }
}

/// The attributes holding a target group's ARN.
pub(super) const ARN_ATTRS: &[&str; 2] = &["arn", "id"];
