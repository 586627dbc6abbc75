//! NET050: awsvpc tasks need `target_type = "ip"`.

use crate::diagnostics::Diagnostic;
use crate::model::Val;
use crate::rules::service::support::{self, Awsvpc, Missing};
use crate::rules::{Context, Rule, RuleMeta};

use super::{
    push_first_missing, push_mode_unknown, registers_instance, settled_by_candidates,
    target_group_of, target_type_unknown, tg_attr, tg_named, tg_to_change, CandidatesFinding,
};

declare_rule! {
    /// ## What it checks
    /// Every target group attached to an `aws_ecs_service` whose tasks use `awsvpc`
    /// (including every Fargate service) has `target_type = "ip"`. An omitted `target_type`
    /// counts as `instance`, the AWS provider's default.
    ///
    /// ## Why it matters
    /// awsvpc tasks have their own network interface and register with the load balancer by
    /// IP address. CreateService rejects an instance target group: "The provided target group
    /// … has target type instance, which is incompatible with the awsvpc network mode
    /// specified in the task definition." Because `target_type` is easy to leave out, this is
    /// one of the most common Fargate first-apply failures.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_target_group" "api" {
    ///   port     = 8080
    ///   protocol = "HTTP"
    ///   vpc_id   = var.vpc_id
    ///   # target_type omitted: "instance"  (NET050)
    /// }
    /// resource "aws_ecs_service" "api" {
    ///   launch_type = "FARGATE"
    ///   load_balancer {
    ///     target_group_arn = aws_lb_target_group.api.arn
    ///     container_name   = "api"
    ///     container_port   = 8080
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set `target_type = "ip"` on the target group. Changing it replaces the target group, so
    /// give it `lifecycle { create_before_destroy = true }` and a `name_prefix`, or a new name.
    pub struct TargetTypeIp {
        id: "NET050",
        name: "awsvpc-target-type-ip",
        severity: Error,
        summary: "awsvpc services need target groups with target_type = ip (the provider default is instance)",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html",
    }
}

impl Rule for TargetTypeIp {
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
                Awsvpc::Yes(b) => b,
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
                    registers_instance,
                    &mut missing,
                    out,
                    |named| {
                        CandidatesFinding {
                            message: format!(
                                "{named} has target_type instance (or omits it: the provider default), but {basis}; awsvpc tasks register by IP and need target_type ip"
                            ),
                            detail: "CreateService rejects it: \"The provided target group has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.\"",
                            help: "Set target_type = \"ip\" on the target groups (this replaces them: add lifecycle { create_before_destroy = true } with a name_prefix, or rename them).",
                        }
                    },
                );
                if settled {
                    continue;
                }
                let tg = match target_group_of(cx.model, lb, svc.plan) {
                    Ok(Some(tg)) => tg,
                    Ok(None) => continue, // classic load balancer: NET054
                    Err(m) => {
                        missing.get_or_insert((i, m));
                        continue;
                    }
                };
                let shown = match &tg.target_type.val {
                    Val::Known(t) if t.eq_ignore_ascii_case("instance") => {
                        format!("target_type {}", tg.target_type.show())
                    }
                    Val::Null => "no target_type, so the provider default instance".to_string(),
                    Val::Known(_) => continue,
                    Val::Unknown => {
                        missing.get_or_insert((i, target_type_unknown(tg)));
                        continue;
                    }
                };
                cx.diag(
                    &Self::META,
                    &svc.address,
                    format!(
                        "{} has {shown}, but {basis}; awsvpc tasks register by IP and need target_type ip",
                        tg_named(lb, tg)
                    ),
                )
                .attribute(tg_attr(i))
                .detail("CreateService rejects it: \"The provided target group has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.\"")
                .help(format!(
                    "Set target_type = \"ip\" on {} (this replaces the target group: add lifecycle {{ create_before_destroy = true }} with a name_prefix, or rename it).",
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
                "that the target group uses target_type ip",
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
    use crate::model::{Field, Launch, Link, LoadBalancer, Model, NetworkMode};
    use crate::rules::load_balancer::test_support::{self, tg_ref};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn lb(tg: Option<Link>) -> LoadBalancer {
        test_support::lb(tg, "api", 8080)
    }

    fn model(mode: NetworkMode, target_type: Option<&str>) -> Model {
        let mut m = Model::default();
        m.task_definitions
            .push(t::task_definition("aws_ecs_task_definition.api", mode));
        m.target_groups
            .push(t::target_group("aws_lb_target_group.api", target_type));
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        s.load_balancers = Field::known(vec![lb(Some(tg_ref("aws_lb_target_group.api")))]);
        m.services.push(s);
        m
    }

    #[test]
    fn fires_for_default_and_instance() {
        for tt in [None, Some("instance")] {
            let d = run(&TargetTypeIp, &model(NetworkMode::Awsvpc, tt));
            assert_eq!(firm(&d).len(), 1, "{tt:?}");
            assert_eq!(
                d[0].attribute.as_deref(),
                Some("load_balancer[0].target_group_arn")
            );
            assert_eq!(d[0].related, vec!["aws_lb_target_group.api".to_string()]);
        }
    }

    #[test]
    fn passes_for_ip_or_bridge() {
        assert!(run(&TargetTypeIp, &model(NetworkMode::Awsvpc, Some("ip"))).is_empty());
        assert!(run(&TargetTypeIp, &model(NetworkMode::Bridge, None)).is_empty());
    }

    #[test]
    fn fargate_without_task_definition_fires() {
        let mut m = model(NetworkMode::Awsvpc, None);
        m.task_definitions.clear();
        m.services[0].task_definition = Link::outside("api:1");
        m.services[0].launch = Field::known(Launch::Fargate);
        assert_eq!(firm(&run(&TargetTypeIp, &m)).len(), 1);
    }

    #[test]
    fn unknown_target_group_is_unverifiable() {
        let mut m = model(NetworkMode::Awsvpc, None);
        m.services[0].load_balancers = Field::known(vec![
            lb(Some(Link::unresolved())),
            lb(Some(Link::outside(
                "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/x/1",
            ))),
        ]);
        let d = run(&TargetTypeIp, &m);
        assert_eq!(d.len(), 1);
        assert_eq!(unverified(&d).len(), 1);
        let mut m = model(NetworkMode::Awsvpc, None);
        m.target_groups[0].target_type = Field::unknown();
        assert_eq!(unverified(&run(&TargetTypeIp, &m)).len(), 1);
    }

    #[test]
    fn hidden_target_groups_decide_when_every_candidate_agrees() {
        let with_types = |types: &[Option<&str>]| {
            let mut m = model(NetworkMode::Awsvpc, None);
            m.target_groups.clear();
            let mut names = Vec::new();
            for (i, tt) in types.iter().enumerate() {
                let a = format!("aws_lb_target_group.edge[{i}]");
                m.target_groups.push(t::target_group(&a, *tt));
                names.push(a);
            }
            m.services[0].load_balancers = Field::known(vec![lb(Some(Link::one_of(names)))]);
            run(&TargetTypeIp, &m)
        };
        assert!(with_types(&[Some("ip"), Some("ip"), Some("ip")]).is_empty());
        // All instance (one by omission): certainly rejected.
        let d = with_types(&[Some("instance"), None]);
        assert_eq!(firm(&d).len(), 1);
        assert!(d[0]
            .message
            .contains("every target group the service can name"));
        // Candidates that disagree: a note naming them.
        let d = with_types(&[Some("ip"), None, Some("ip")]);
        assert_eq!(unverified(&d).len(), 1);
        assert!(d[0].message.contains("aws_lb_target_group.edge[1]"));
    }
}
