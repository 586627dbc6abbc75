//! `aws_lb_target_group` and its older alias `aws_alb_target_group`.

use super::{key, opt_string};
use crate::model::resolve::{Kind, Lookup};
use crate::model::{Model, PlanIndex, TargetGroup};
use crate::plan::Resource;

pub(super) fn extract(res: &Resource, plan: PlanIndex, model: &mut Model, lookup: &mut Lookup) {
    let v = res.values.root();
    let tg = TargetGroup {
        address: res.address.clone(),
        plan,
        name: v.get("name").string(),
        target_type: opt_string(v.get("target_type")),
        port: v.get("port").int(),
        protocol: opt_string(v.get("protocol")),
        health_check_port: super::services::block_string(v.get("health_check"), "port"),
        ip_address_type: opt_string(v.get("ip_address_type")),
        vpc: None,
    };
    let pos = model.target_groups.len();
    lookup.add_address(plan, &tg.address, Kind::TargetGroup, pos);
    if let Some(n) = key(&tg.name) {
        lookup.tg_name.insert(n, plan, pos);
    }
    for attr in ["arn", "id"] {
        if let Some(a) = key(&v.get(attr).string()) {
            lookup.tg_arn.insert(a, plan, pos);
        }
    }
    model.target_groups.push(tg);
}
