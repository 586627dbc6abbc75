//! NET051: bridge and host tasks need `target_type = "instance"`.

use crate::diagnostics::Diagnostic;
use crate::model::{NetworkMode, Val};
use crate::rules::service::support::{self, Awsvpc, Missing};
use crate::rules::{Context, Rule, RuleMeta};

use super::{
    push_first_missing, push_mode_unknown, registers_ip, settled_by_candidates, target_group_of,
    target_type_unknown, tg_attr, tg_named, tg_to_change, CandidatesFinding,
};

declare_rule! {
    /// ## What it checks
    /// Every target group attached to an `aws_ecs_service` whose task definition uses
    /// `bridge` or `host` (or the Windows `default` mode) has `target_type = "instance"`
    /// (or omits it: `instance` is the default).
    ///
    /// ## Why it matters
    /// Tasks in these modes share the container instance's network interface and register
    /// with the load balancer as instance id plus host port. CreateService rejects an `ip`
    /// target group: "The provided target group … has target type ip, which is incompatible
    /// with the bridge network mode specified in the task definition." It typically happens
    /// when a module built for Fargate is reused for EC2 bridge tasks.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_target_group" "web" {
    ///   target_type = "ip"              # NET051
    /// }
    /// resource "aws_ecs_task_definition" "web" {
    ///   network_mode = "bridge"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use `target_type = "instance"` for bridge and host services, or switch the task
    /// definition to `awsvpc` (and add `network_configuration` to the service).
    pub struct TargetTypeInstance {
        id: "NET051",
        name: "bridge-host-target-type-instance",
        severity: Error,
        summary: "bridge and host services need target groups with target_type = instance",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html",
    }
}

impl Rule for TargetTypeInstance {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in &cx.model.services {
            let Some(lbs) = svc.load_balancers.get() else {
                continue;
            };
            if lbs.is_empty() {
                continue;
            }
            let basis = match support::service_awsvpc(cx, svc) {
                // `none` has no ports at all: NET052.
                Awsvpc::No(Some(NetworkMode::None), _) => continue,
                Awsvpc::No(_, b) => b,
                Awsvpc::Unknown(m) => {
                    push_mode_unknown(cx, &Self::META, svc, lbs, &m, out);
                    continue;
                }
                _ => continue,
            };
            let mut missing: Option<(usize, Missing)> = None;
            for (i, lb) in lbs.iter().enumerate() {
                // Hidden among several target groups: decided when they all agree.
                let settled = settled_by_candidates(
                    cx,
                    &Self::META,
                    svc,
                    lb,
                    i,
                    registers_ip,
                    &mut missing,
                    out,
                    |named| {
                        CandidatesFinding {
                            message: format!(
                                "{named} has target_type ip, but {basis}; these tasks register as instance and host port and need target_type instance"
                            ),
                            detail: "CreateService rejects it: the target group \"has target type ip, which is incompatible with the bridge network mode specified in the task definition\".",
                            help: "Set target_type = \"instance\" (or omit it) on the target groups, or switch the task definition to awsvpc and add network_configuration to the service.",
                        }
                    },
                );
                if settled {
                    continue;
                }
                let tg = match target_group_of(cx.model, lb, svc.plan) {
                    Ok(Some(tg)) => tg,
                    Ok(None) => continue,
                    Err(m) => {
                        missing.get_or_insert((i, m));
                        continue;
                    }
                };
                match &tg.target_type.val {
                    Val::Known(t) if t.eq_ignore_ascii_case("ip") => {}
                    Val::Unknown => {
                        missing.get_or_insert((i, target_type_unknown(tg)));
                        continue;
                    }
                    _ => continue,
                }
                cx.diag(
                    &Self::META,
                    &svc.address,
                    format!(
                        "{} has target_type {}, but {basis}; these tasks register as instance and host port and need target_type instance",
                        tg_named(lb, tg),
                        tg.target_type.show()
                    ),
                )
                .attribute(tg_attr(i))
                .detail("CreateService rejects it: the target group \"has target type ip, which is incompatible with the bridge network mode specified in the task definition\".")
                .help(format!(
                    "Set target_type = \"instance\" (or omit it) on {}, or switch the task definition to awsvpc and add network_configuration to the service.",
                    tg_to_change(tg)
                ))
                .related(tg.address.clone())
                .plan(svc.plan)
                .push(out);
            }
            push_first_missing(
                cx,
                &Self::META,
                svc,
                "that the target group uses target_type instance",
                missing,
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Link, Model};
    use crate::rules::load_balancer::test_support::{lb, tg_ref};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(mode: NetworkMode, target_type: Option<&str>) -> Model {
        let mut m = Model::default();
        m.task_definitions
            .push(t::task_definition("aws_ecs_task_definition.web", mode));
        m.target_groups
            .push(t::target_group("aws_lb_target_group.web", target_type));
        let mut s = t::service("aws_ecs_service.web", "aws_ecs_task_definition.web", "c");
        s.load_balancers =
            Field::known(vec![lb(Some(tg_ref("aws_lb_target_group.web")), "web", 80)]);
        m.services.push(s);
        m
    }

    #[test]
    fn fires_for_bridge_and_host_with_ip() {
        for mode in [NetworkMode::Bridge, NetworkMode::Host] {
            let d = run(&TargetTypeInstance, &model(mode, Some("ip")));
            assert_eq!(firm(&d).len(), 1);
            assert_eq!(
                d[0].attribute.as_deref(),
                Some("load_balancer[0].target_group_arn")
            );
        }
    }

    #[test]
    fn passes_for_instance_default_awsvpc_none() {
        assert!(run(&TargetTypeInstance, &model(NetworkMode::Bridge, None)).is_empty());
        assert!(run(
            &TargetTypeInstance,
            &model(NetworkMode::Host, Some("instance"))
        )
        .is_empty());
        assert!(run(&TargetTypeInstance, &model(NetworkMode::Awsvpc, Some("ip"))).is_empty());
        assert!(run(&TargetTypeInstance, &model(NetworkMode::None, Some("ip"))).is_empty());
    }

    #[test]
    fn task_definition_outside_plan_without_network_configuration() {
        let mut m = model(NetworkMode::Bridge, Some("ip"));
        m.task_definitions.clear();
        m.services[0].task_definition = Link::outside("web:4");
        let d = run(&TargetTypeInstance, &m);
        assert_eq!(firm(&d).len(), 1);
        assert!(d[0].message.contains("no network_configuration"));
        m.services[0].network_configuration = Field::unknown();
        assert_eq!(unverified(&run(&TargetTypeInstance, &m)).len(), 1);
    }
}
