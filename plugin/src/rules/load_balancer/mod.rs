//! Load balancer rules (NET050-NET055): one file per rule.

use super::service::support::Missing;
use super::Rule;
use crate::model::{LoadBalancer, Model, TargetGroup};

mod container_port_exists;
mod dynamic_port_health_check;
mod none_not_load_balanced;
mod target_type_instance;
mod target_type_ip;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &target_type_ip::TargetTypeIp,
        &target_type_instance::TargetTypeInstance,
        &none_not_load_balanced::NoneNotLoadBalanced,
        &container_port_exists::ContainerPortExists,
        &dynamic_port_health_check::DynamicPortHealthCheck,
    ]
}

/// The target group of a `load_balancer` block: `Ok(None)` for a classic load balancer
/// (`elb_name`) or a block without a target group, `Err` when the target group is outside
/// the plan or unknown.
fn target_group_of<'a>(
    model: &'a Model,
    lb: &LoadBalancer,
    plan: usize,
) -> Result<Option<&'a TargetGroup>, Missing> {
    let Some(link) = &lb.target_group else {
        return Ok(None);
    };
    match (&link.address, &link.literal) {
        (Some(a), _) => super::service::support::at::target_group(model, a, plan).map(Some).ok_or_else(|| {
            Missing::new(
                format!("target group {a} is not among the planned resources"),
                "Pass every plan that manages the target group to `ecsnet check`.",
            )
        }),
        (None, Some(l)) => Err(Missing::new(
            format!("target group {l} is outside the plan"),
            "Manage the aws_lb_target_group in the same plan, or pass the plan that manages it as another PLAN argument to `ecsnet check`.",
        )),
        (None, None) => Err(Missing::new(
            "the target_group_arn is known only after apply and no configuration reference names a target group",
            "Reference the aws_lb_target_group resource directly (target_group_arn = aws_lb_target_group.app.arn) so ecsnet can follow it.",
        )),
    }
}

/// `load_balancer[i].target_group_arn`.
fn tg_attr(i: usize) -> String {
    format!("load_balancer[{i}].target_group_arn")
}
