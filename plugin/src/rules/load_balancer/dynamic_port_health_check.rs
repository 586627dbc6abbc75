//! NET055: dynamic host ports need the target group health check on `traffic-port`.

use crate::diagnostics::Diagnostic;
use crate::model::{NetworkMode, TargetGroup, Val};
use crate::rules::service::support::{self, Missing};
use crate::rules::{Context, Rule, RuleMeta};

use super::container_port_exists::serves;
use super::{
    push_first_missing, settled_by_candidates, target_group_of, tg_attr, CandidatesFinding,
};

/// Whether the target group health-checks a fixed port rather than the traffic port
/// (omitted, `traffic-port`); `None` when the port is known only after apply.
fn fixed_health_check_port(tg: &TargetGroup) -> Option<bool> {
    match &tg.health_check_port.val {
        Val::Null => Some(false),
        Val::Known(p) => Some(!(p == "traffic-port" || p.is_empty())),
        Val::Unknown => None,
    }
}

declare_rule! {
    /// ## What it checks
    /// When a load-balanced `aws_ecs_service` runs a `bridge` task definition whose mapping for
    /// the load balancer's container port has a dynamic host port (`hostPort` 0 or omitted),
    /// the target group's health check `port` is `traffic-port` (or unset, which means
    /// the same).
    ///
    /// A target group whose configuration has no `health_check` block at all is planned with
    /// the whole block unknown; it gets ELB's default, which passes. Source: Elastic Load
    /// Balancing API Reference, CreateTargetGroup, `HealthCheckPort`
    /// (<https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html>):
    /// "If the protocol is HTTP, HTTPS, TCP, TLS, UDP, or TCP_UDP, the default is
    /// traffic-port, which is the port on which each target receives traffic from the load
    /// balancer."
    ///
    /// ## Why it matters
    /// With dynamic ports every task listens on a different, random host port, so a fixed
    /// health-check port checks nothing the task serves. ECS rejects the service: "The task
    /// definition is configured to use a dynamic host port, but the target group … has a
    /// health check port specified."
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lb_target_group" "web" {
    ///   health_check {
    ///     port = "8080"                  # NET055
    ///   }
    /// }
    /// # task definition (bridge): portMappings = [{ containerPort = 8080, hostPort = 0 }]
    /// ```
    ///
    /// ## How to fix
    /// Remove `port` from the target group's `health_check` block (or set it to
    /// `"traffic-port"`); or give the mapping a fixed host port.
    pub struct DynamicPortHealthCheck {
        id: "NET055",
        name: "dynamic-port-health-check",
        severity: Error,
        summary: "Dynamic host ports need the target group health check port to be traffic-port",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    }
}

impl Rule for DynamicPortHealthCheck {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let check = "that the target group's health check fits the task's dynamic host port";
        for svc in &cx.model.services {
            let Some(lbs) = svc.load_balancers.get() else {
                continue;
            };
            if !lbs.iter().any(|l| l.target_group.is_some()) {
                continue;
            }
            let view = support::service_mode(cx, svc);
            let td = match (&view.mode, &view.td) {
                (Some(NetworkMode::Bridge), Ok(td)) => *td,
                (Some(_), _) => continue,
                // Only bridge has dynamic ports; a network_configuration block rules it out.
                (None, _) => {
                    if matches!(svc.network_configuration.get(), Some(None)) {
                        out.push(support::unverifiable(
                            cx,
                            &Self::META,
                            svc,
                            &tg_attr(0),
                            check,
                            &view.missing(),
                        ));
                    }
                    continue;
                }
            };
            let Some(containers) = td.containers.get() else {
                out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    &tg_attr(0),
                    check,
                    &support::containers_missing(td),
                ));
                continue;
            };
            let mut missing: Option<(usize, Missing)> = None;
            for (i, lb) in lbs.iter().enumerate() {
                let (Some(name), Some(port)) = (lb.container_name.get(), lb.container_port.get())
                else {
                    missing.get_or_insert((
                        i,
                        Missing::after_apply(
                            "the load balancer's container_name or container_port is known only after apply",
                            "Set container_name and container_port from values known at plan time.",
                        ),
                    ));
                    continue;
                };
                // A container or port that does not exist is NET053's finding.
                let Some(c) = containers.iter().find(|c| &c.name == name) else {
                    continue;
                };
                let dynamic = c
                    .port_mappings
                    .iter()
                    .filter(|m| serves(m, *port))
                    .any(|m| matches!(m.host_port, None | Some(0)) && m.host_port_range.is_none());
                if !dynamic {
                    continue;
                }
                // Hidden among several target groups: decided when they all agree.
                let settled = settled_by_candidates(
                    cx,
                    &Self::META,
                    svc,
                    lb,
                    i,
                    fixed_health_check_port,
                    &mut missing,
                    out,
                    |named| {
                        CandidatesFinding {
                            message: format!(
                                "container {} port {} uses a dynamic host port (bridge, hostPort 0 or omitted), but {named} health-checks a fixed port",
                                lb.container_name.show(),
                                lb.container_port.show(),
                            ),
                            detail: "CreateService rejects it: \"The task definition is configured to use a dynamic host port, but the target group has a health check port specified.\"",
                            help: "Remove port from the health_check blocks of the target groups (or set it to \"traffic-port\"), or give the port mapping a fixed hostPort.",
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
                match &tg.health_check_port.val {
                    Val::Null => {}
                    Val::Known(p) if p == "traffic-port" || p.is_empty() => {}
                    Val::Known(_) => cx
                        .diag(
                            &Self::META,
                            &svc.address,
                            format!(
                                "container {} port {} uses a dynamic host port (bridge, hostPort 0 or omitted), but target group {} health-checks fixed port {}",
                                lb.container_name.show(),
                                lb.container_port.show(),
                                tg.address,
                                tg.health_check_port.show()
                            ),
                        )
                        .attribute(tg_attr(i))
                        .detail(format!(
                            "{}: health_check[0].port = {}. CreateService rejects it: \"The task definition is configured to use a dynamic host port, but the target group has a health check port specified.\"",
                            tg.address,
                            tg.health_check_port.show()
                        ))
                        .help(format!(
                            "Remove port from the health_check block of {} (or set it to \"traffic-port\"), or give the port mapping a fixed hostPort.",
                            super::tg_to_change(tg)
                        ))
                        .related(tg.address.clone())
                        .related(td.address.clone())
                        .plan(svc.plan)
                        .push(out),
                    Val::Unknown => {
                        missing.get_or_insert((
                            i,
                            Missing::after_apply(
                                format!("health_check port of {} is known only after apply", tg.address),
                                "Set the health check port from a literal or a variable known at plan time.",
                            ),
                        ));
                    }
                }
            }
            push_first_missing(cx, &Self::META, svc, check, missing, out);
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

    fn model(mode: NetworkMode, host_port: Option<i64>, hc: Field<String>) -> Model {
        let mut m = Model::default();
        let mut td = t::task_definition("aws_ecs_task_definition.web", mode);
        td.containers = Field::known(vec![t::container("web", vec![t::port(8080, host_port)])]);
        m.task_definitions.push(td);
        let mut tg = t::target_group("aws_lb_target_group.web", Some("instance"));
        tg.health_check_port = hc;
        m.target_groups.push(tg);
        let mut s = t::service("aws_ecs_service.web", "aws_ecs_task_definition.web", "c");
        s.load_balancers = Field::known(vec![lb(
            Some(tg_ref("aws_lb_target_group.web")),
            "web",
            8080,
        )]);
        m.services.push(s);
        m
    }

    #[test]
    fn fires_for_dynamic_ports_with_fixed_health_check() {
        for hp in [None, Some(0)] {
            let d = run(
                &DynamicPortHealthCheck,
                &model(NetworkMode::Bridge, hp, Field::known("8080".into())),
            );
            assert_eq!(firm(&d).len(), 1);
            assert!(d[0]
                .related
                .contains(&"aws_lb_target_group.web".to_string()));
        }
    }

    #[test]
    fn passes_for_traffic_port_static_port_or_awsvpc() {
        let m = model(
            NetworkMode::Bridge,
            None,
            Field::known("traffic-port".into()),
        );
        assert!(run(&DynamicPortHealthCheck, &m).is_empty());
        let m = model(NetworkMode::Bridge, None, Field::null());
        assert!(run(&DynamicPortHealthCheck, &m).is_empty());
        let m = model(NetworkMode::Bridge, Some(8080), Field::known("8080".into()));
        assert!(run(&DynamicPortHealthCheck, &m).is_empty());
        let m = model(NetworkMode::Awsvpc, None, Field::known("8080".into()));
        assert!(run(&DynamicPortHealthCheck, &m).is_empty());
    }

    #[test]
    fn unknown_health_check_is_unverifiable() {
        let m = model(NetworkMode::Bridge, None, Field::unknown());
        let d = run(&DynamicPortHealthCheck, &m);
        assert_eq!(unverified(&d).len(), 1);
        let mut m = model(NetworkMode::Bridge, None, Field::known("8080".into()));
        m.task_definitions.clear();
        m.services[0].task_definition = Link::outside("web:2");
        assert_eq!(unverified(&run(&DynamicPortHealthCheck, &m)).len(), 1);
    }

    #[test]
    fn hidden_target_groups_decide_when_every_health_check_agrees() {
        let with_ports = |ports: &[Field<String>]| {
            let mut m = model(NetworkMode::Bridge, Some(0), Field::null());
            m.target_groups.clear();
            let mut names = Vec::new();
            for (i, p) in ports.iter().enumerate() {
                let a = format!("aws_lb_target_group.web[{i}]");
                let mut tg = t::target_group(&a, Some("instance"));
                tg.health_check_port = p.clone();
                m.target_groups.push(tg);
                names.push(a);
            }
            m.services[0].load_balancers =
                Field::known(vec![lb(Some(Link::one_of(names)), "web", 8080)]);
            run(&DynamicPortHealthCheck, &m)
        };
        assert!(with_ports(&[Field::null(), Field::known("traffic-port".into())]).is_empty());
        let d = with_ports(&[Field::known("8081".into()), Field::known("9000".into())]);
        assert_eq!(firm(&d).len(), 1);
        assert!(d[0]
            .message
            .contains("every target group the service can name"));
        let d = with_ports(&[Field::null(), Field::unknown()]);
        assert_eq!(unverified(&d).len(), 1);
    }
}
