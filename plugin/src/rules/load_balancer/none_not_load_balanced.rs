//! NET052: a `none` task cannot be load balanced.

use crate::diagnostics::Diagnostic;
use crate::model::NetworkMode;
use crate::rules::service::support;
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// An `aws_ecs_service` whose task definition uses `network_mode = "none"` has no
    /// `load_balancer` block.
    ///
    /// ## Why it matters
    /// A `none` task has only a loopback interface and no port mappings, so there is nothing
    /// for a load balancer to send traffic to. ECS rejects the service because the container
    /// port named in `load_balancer` does not exist (see NET053); the AWS CDK refuses the same
    /// combination up front ("Cannot use a load balancer if NetworkMode is None").
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "batch" {
    ///   network_mode = "none"
    /// }
    /// resource "aws_ecs_service" "batch" {
    ///   task_definition = aws_ecs_task_definition.batch.arn
    ///   load_balancer {                     # NET052
    ///     target_group_arn = aws_lb_target_group.batch.arn
    ///     container_name   = "batch"
    ///     container_port   = 8080
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove the `load_balancer` block, or give the task definition a network mode with
    /// ports (`awsvpc`, `bridge` or `host`).
    pub struct NoneNotLoadBalanced {
        id: "NET052",
        name: "none-mode-not-load-balanced",
        severity: Error,
        summary: "Tasks with network_mode none cannot be behind a load balancer",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html",
    }
}

impl Rule for NoneNotLoadBalanced {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in &cx.model.services {
            if svc.load_balancers.get().is_none_or(|v| v.is_empty()) {
                continue;
            }
            let view = support::service_mode(cx, svc);
            match &view.mode {
                Some(NetworkMode::None) => {
                    let mut d = cx
                        .diag(
                            &Self::META,
                            &svc.address,
                            format!(
                                "this service has a load_balancer, but {}; such tasks have no network interface or ports to balance",
                                view.basis
                            ),
                        )
                        .attribute("load_balancer")
                        .help("Remove the load_balancer block, or use awsvpc, bridge or host in the task definition.")
                        .plan(svc.plan);
                    if let Ok(td) = &view.td {
                        d = d.related(td.address.clone());
                    }
                    d.push(out);
                }
                Some(_) => {}
                // A network_configuration block means awsvpc (or NET041), never none; without
                // one the mode could be none.
                None if matches!(svc.network_configuration.get(), Some(None)) => {
                    out.push(support::unverifiable(
                        cx,
                        &Self::META,
                        svc,
                        "load_balancer",
                        "that this load-balanced service's task definition does not use network_mode none",
                        &view.missing(),
                    ))
                }
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Link, Model};
    use crate::rules::load_balancer::test_support::lb;
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(mode: NetworkMode, with_lb: bool) -> Model {
        let mut m = Model::default();
        m.task_definitions
            .push(t::task_definition("aws_ecs_task_definition.b", mode));
        let mut s = t::service("aws_ecs_service.b", "aws_ecs_task_definition.b", "c");
        if with_lb {
            s.load_balancers = Field::known(vec![lb(Some(Link::outside("arn:tg")), "b", 80)]);
        }
        m.services.push(s);
        m
    }

    #[test]
    fn fires_for_none() {
        let d = run(&NoneNotLoadBalanced, &model(NetworkMode::None, true));
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(d[0].attribute.as_deref(), Some("load_balancer"));
    }

    #[test]
    fn passes_otherwise() {
        assert!(run(&NoneNotLoadBalanced, &model(NetworkMode::None, false)).is_empty());
        assert!(run(&NoneNotLoadBalanced, &model(NetworkMode::Bridge, true)).is_empty());
    }

    #[test]
    fn unknown_mode_is_unverifiable() {
        let d = run(&NoneNotLoadBalanced, &model(NetworkMode::Unknown, true));
        assert_eq!(unverified(&d).len(), 1);
    }
}
