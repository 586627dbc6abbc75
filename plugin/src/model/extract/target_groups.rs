//! `aws_lb_target_group` and its older alias `aws_alb_target_group`.

use super::{key, opt_string};
use crate::model::resolve::{Kind, Lookup};
use crate::model::{Model, PlanIndex, TargetGroup};
use crate::plan::{Plan, Resource};

/// A target group as read from its resource, not yet in the model.
pub(super) fn decode(res: &Resource, source: &Plan, plan: PlanIndex) -> TargetGroup {
    let v = res.values.root();
    // A target group whose configuration has no `health_check` block is planned with the
    // whole block unknown; ELB then health-checks `traffic-port`, its default (Null here).
    let health_check_port = super::services::default_when_unwritten(
        source,
        res,
        super::services::block_string(v.get("health_check"), "port"),
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
pub(super) const ARN_ATTRS: &[&str] = &["arn", "id"];

/// Add a decoded target group (from [`decode`]) to the model and the lookup; `arns` are the
/// known values of [`ARN_ATTRS`].
pub(super) fn register<'p>(
    tg: TargetGroup,
    arns: Vec<String>,
    plan: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
    address: &'p str,
) {
    let pos = model.target_groups.len();
    lookup.add_address(plan, address, Kind::TargetGroup, pos);
    if let Some(n) = key(&tg.name) {
        lookup.tg_name.insert(n, plan, pos);
    }
    for a in &arns {
        lookup.tg_arn.insert(a, plan, pos);
    }
    model.target_groups.push(tg);
}
