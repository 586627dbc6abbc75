//! NET056: at most five target groups per service.

use crate::diagnostics::Diagnostic;
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// An `aws_ecs_service` has at most five `load_balancer` blocks with a
    /// `target_group_arn`.
    ///
    /// ## Why it matters
    /// ECS refuses a service with more: "For services that use an Application Load Balancer
    /// or Network Load Balancer, you cannot attach more than five target groups to a service"
    /// (Amazon ECS Developer Guide, "Registering multiple target groups with an Amazon ECS
    /// service"). CreateService or UpdateService fails and so does the apply.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "edge" {
    ///   dynamic "load_balancer" {
    ///     for_each = aws_lb_target_group.edge   # six target groups: NET056
    ///     content {
    ///       target_group_arn = load_balancer.value.arn
    ///       container_name   = "edge"
    ///       container_port   = 8080
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Route several listeners or rules to the same target group (a target group can serve
    /// many listener rules), or split the ports across two services.
    pub struct TargetGroupLimit {
        id: "NET056",
        name: "target-group-limit",
        severity: Error,
        summary: "A service can be attached to at most five target groups",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/register-multiple-targetgroups.html",
    }
}

/// The most target groups ECS attaches to one service.
const MAX_TARGET_GROUPS: usize = 5;

/// What the rule finds about one service.
struct TooMany {
    count: usize,
}

impl TooMany {
    fn message(&self) -> String {
        format!(
            "this service names {} target groups in its load_balancer blocks; ECS attaches at most {MAX_TARGET_GROUPS} to a service",
            self.count
        )
    }
}

const HELP: &str =
    "Send several listener rules to one target group, or split the ports across two services.";

impl Rule for TargetGroupLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in &cx.model.services {
            let Some(lbs) = svc.load_balancers.get() else {
                continue;
            };
            let count = lbs.iter().filter(|lb| lb.target_group.is_some()).count();
            if count <= MAX_TARGET_GROUPS {
                continue;
            }
            let v = TooMany { count };
            cx.diag(&Self::META, &svc.address, v.message())
                .attribute(format!(
                    "load_balancer[{MAX_TARGET_GROUPS}].target_group_arn"
                ))
                .help(HELP)
                .plan(svc.plan)
                .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Link, Model};
    use crate::rules::load_balancer::test_support::lb;
    use crate::rules::service::support::test_support::run;

    fn model(n: usize) -> Model {
        let mut m = Model::default();
        let mut s = t::service("aws_ecs_service.edge", "td", "c");
        s.load_balancers = Field::known(
            (0..n)
                .map(|i| lb(Some(Link::outside(format!("arn:tg/{i}"))), "edge", 80))
                .collect(),
        );
        m.services.push(s);
        m
    }

    #[test]
    fn six_fire_five_pass() {
        let d = run(&TargetGroupLimit, &model(6));
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("names 6 target groups"));
        assert!(run(&TargetGroupLimit, &model(5)).is_empty());
    }
}
