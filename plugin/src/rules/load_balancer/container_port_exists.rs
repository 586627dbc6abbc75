//! NET053: `load_balancer` container name and port exist in the task definition.

use crate::diagnostics::Diagnostic;
use crate::model::{show_value, Container, LoadBalancer, PortMapping, Service, TaskDefinition};
use crate::rules::service::support::{self, Missing};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// For every `load_balancer` block of an `aws_ecs_service`, the task definition has a
    /// container named `container_name`, and that container has a port mapping whose
    /// `containerPort` is `container_port` (or a `containerPortRange` that contains it).
    ///
    /// ## Why it matters
    /// ECS registers the task's port for that container with the target group. A name or
    /// port that does not exist makes CreateService fail: "The container X did not have a
    /// container port Y defined." Renaming a container or changing a port in a module often
    /// updates one side only.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   container_definitions = jsonencode([{
    ///     name         = "api"
    ///     portMappings = [{ containerPort = 8080 }]
    ///   }])
    /// }
    /// resource "aws_ecs_service" "api" {
    ///   load_balancer {
    ///     container_name = "api"
    ///     container_port = 80        # NET053: the container listens on 8080
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Make `container_name` and `container_port` match a container's `name` and one of its
    /// `portMappings[].containerPort`; in modules, feed both from the same variable.
    pub struct ContainerPortExists {
        id: "NET053",
        name: "load-balancer-container-port-exists",
        severity: Error,
        summary: "load_balancer container_name and container_port must exist in the task definition",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html",
    }
}

/// True when `m` serves container port `p`.
pub(super) fn serves(m: &PortMapping, p: i64) -> bool {
    if m.container_port == Some(p) {
        return true;
    }
    m.container_port_range
        .as_deref()
        .and_then(|r| r.split_once('-'))
        .and_then(|(a, b)| Some((a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?)))
        .is_some_and(|(a, b)| a <= p && p <= b)
}

/// "containerPort 80, 8080" (or "no port mappings"), written at the end of `out`.
fn container_ports(out: &mut String, c: &Container, sensitive: bool) {
    use std::fmt::Write;
    if c.port_mappings.is_empty() {
        out.push_str("no port mappings");
        return;
    }
    out.push_str("containerPort ");
    for (i, m) in c.port_mappings.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match (m.container_port, &m.container_port_range) {
            (None, None) => out.push_str("(none)"),
            _ if sensitive => out.push_str(crate::model::SENSITIVE),
            (Some(p), _) => {
                let _ = write!(out, "{p}");
            }
            (None, Some(r)) => out.push_str(r),
        }
    }
}

impl Rule for ContainerPortExists {
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
            let check = "that the load balancer's container and port exist in the task definition";
            let judge = |td: &TaskDefinition, out: &mut Vec<Diagnostic>| {
                judge_one(cx, svc, lbs, td, check, out)
            };
            if support::judge_td_candidates(
                cx,
                &Self::META,
                svc,
                &svc.task_definition,
                "load_balancer[0].container_name",
                check,
                judge,
                out,
            ) {
                continue;
            }
            let td = match support::service_task_definition(cx.model, svc) {
                Ok(td) => td,
                Err(m) => {
                    out.push(support::unverifiable(
                        cx,
                        &Self::META,
                        svc,
                        "load_balancer[0].container_name",
                        check,
                        &m,
                    ));
                    continue;
                }
            };
            judge_one(cx, svc, lbs, td, check, out);
        }
    }
}

/// NET053 for a service's `load_balancer` blocks against one task definition.
fn judge_one(
    cx: &Context<'_>,
    svc: &Service,
    lbs: &[LoadBalancer],
    td: &TaskDefinition,
    check: &str,
    out: &mut Vec<Diagnostic>,
) {
    let meta = &ContainerPortExists::META;
    let Some(containers) = td.containers.get() else {
        out.push(support::unverifiable(
            cx,
            meta,
            svc,
            "load_balancer[0].container_name",
            check,
            &support::containers_missing(td),
        ));
        return;
    };
    let sensitive = td.containers.sensitive;
    let mut missing: Option<(String, Missing)> = None;
    for (i, lb) in lbs.iter().enumerate() {
        // Written only for a finding (most blocks have none).
        let name_attr = || format!("load_balancer[{i}].container_name");
        let port_attr = || format!("load_balancer[{i}].container_port");
        let Some(name) = lb.container_name.get() else {
            missing.get_or_insert_with(|| {
                (
                    name_attr(),
                    Missing::after_apply(
                        "container_name is known only after apply",
                        "Set container_name from a literal or a variable known at plan time.",
                    ),
                )
            });
            continue;
        };
        let Some(c) = containers.iter().find(|c| &c.name == name) else {
            let names: Vec<String> = containers
                .iter()
                .map(|c| show_value(&c.name, sensitive))
                .collect();
            cx.diag(
                meta,
                &svc.address,
                format!(
                    "load_balancer names container {}, but task definition {} has no container of that name",
                    lb.container_name.show(),
                    td.address
                ),
            )
            .attribute(name_attr())
            .detail(format!("Containers in {}: {}", td.address, support::and_list(&names)))
            .help("Set container_name to the name of the container that serves the traffic.")
            .related(td.address.clone())
            .plan(svc.plan)
            .push(out);
            continue;
        };
        let Some(port) = lb.container_port.get() else {
            missing.get_or_insert_with(|| {
                (
                    port_attr(),
                    Missing::after_apply(
                        "container_port is known only after apply",
                        "Set container_port from a literal or a variable known at plan time.",
                    ),
                )
            });
            continue;
        };
        if c.port_mappings.iter().any(|m| serves(m, *port)) {
            continue;
        }
        // Each value shown once, the texts written in place: one finding per service on
        // plans that get this wrong everywhere.
        let (port, name) = (lb.container_port.show(), lb.container_name.show());
        let mut message = String::with_capacity(160 + td.address.len());
        for part in [
            "load_balancer sends traffic to port ",
            &port,
            " of container ",
            &name,
            ", but that container in ",
            &td.address,
            " has no such containerPort",
        ] {
            message.push_str(part);
        }
        let mut detail = String::with_capacity(160);
        detail.push_str("The container has ");
        container_ports(&mut detail, c, sensitive);
        for part in [
            ". CreateService fails: \"The container ",
            &name,
            " did not have a container port ",
            &port,
            " defined.\"",
        ] {
            detail.push_str(part);
        }
        cx.diag(meta, &svc.address, message)
        .attribute(port_attr())
        .detail(detail)
        .help("Set container_port to one of the container's portMappings[].containerPort, or add that port mapping to the task definition.")
        .related(td.address.clone())
        .plan(svc.plan)
        .push(out);
    }
    if let Some((attr, m)) = missing {
        out.push(support::unverifiable(cx, meta, svc, &attr, check, &m));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Link, Model, NetworkMode};
    use crate::rules::load_balancer::test_support::lb;
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(name: &str, port: i64) -> Model {
        let mut m = Model::default();
        let mut td = t::task_definition("aws_ecs_task_definition.api", NetworkMode::Awsvpc);
        td.containers = Field::known(vec![
            t::container("api", vec![t::port(8080, None)]),
            t::container("sidecar", vec![]),
        ]);
        m.task_definitions.push(td);
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        s.load_balancers = Field::known(vec![lb(Some(Link::outside("arn:tg")), name, port)]);
        m.services.push(s);
        m
    }

    /// A service whose task definition the configuration hides among two candidates, the
    /// second serving `second_port`.
    fn candidates(lb_port: i64, second_port: i64) -> Model {
        let mut m = model("api", lb_port);
        let mut td = t::task_definition("aws_ecs_task_definition.arm", NetworkMode::Awsvpc);
        td.containers = Field::known(vec![t::container("api", vec![t::port(second_port, None)])]);
        m.task_definitions.push(td);
        m.services[0].task_definition = Link::one_of(vec![
            "aws_ecs_task_definition.api".into(),
            "aws_ecs_task_definition.arm".into(),
        ]);
        m
    }

    #[test]
    fn hidden_task_definitions_are_judged_over_every_candidate() {
        // Both serve 8080: passes whichever the service runs.
        assert!(run(&ContainerPortExists, &candidates(8080, 8080)).is_empty());
        // Neither serves 80: fails whichever it runs, and says so.
        let d = run(&ContainerPortExists, &candidates(80, 8080));
        assert_eq!((d.len(), firm(&d).len()), (1, 1));
        assert!(d[0]
            .message
            .contains("the same holds for every task definition"));
        assert!(d[0].message.contains("aws_ecs_task_definition.arm"));
        // One serves it, one does not: a note naming both.
        let d = run(&ContainerPortExists, &candidates(8080, 9090));
        assert_eq!((d.len(), unverified(&d).len()), (1, 1));
        assert!(d[0].message.contains("do not all give the same answer"));
        // A candidate whose containers are unknown cannot be judged: a note.
        let mut m = candidates(80, 8080);
        m.task_definitions[1].containers = Field::unknown();
        assert_eq!(unverified(&run(&ContainerPortExists, &m)).len(), 1);
    }

    #[test]
    fn fires_on_wrong_port_and_name() {
        let d = run(&ContainerPortExists, &model("api", 80));
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("load_balancer[0].container_port")
        );
        assert!(d[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("containerPort 8080"));
        let d = run(&ContainerPortExists, &model("web", 8080));
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("load_balancer[0].container_name")
        );
    }

    #[test]
    fn passes_when_matching_or_in_range() {
        assert!(run(&ContainerPortExists, &model("api", 8080)).is_empty());
        let mut m = model("api", 8050);
        if let crate::model::Val::Known(cs) = &mut m.task_definitions[0].containers.val {
            cs[0].port_mappings[0].container_port = None;
            cs[0].port_mappings[0].container_port_range = Some("8000-8100".into());
        }
        assert!(run(&ContainerPortExists, &m).is_empty());
    }

    #[test]
    fn sensitive_definitions_are_not_printed() {
        let mut m = model("web", 8080);
        m.task_definitions[0].containers.sensitive = true;
        let d = run(&ContainerPortExists, &m);
        assert_eq!(d.len(), 1);
        assert!(!d[0].detail.as_deref().unwrap().contains("sidecar"));
    }

    #[test]
    fn unknown_inputs_are_unverifiable() {
        let mut m = model("api", 80);
        m.task_definitions[0].containers = Field::unknown();
        assert_eq!(unverified(&run(&ContainerPortExists, &m)).len(), 1);
        let mut m = model("api", 80);
        m.task_definitions.clear();
        assert_eq!(unverified(&run(&ContainerPortExists, &m)).len(), 1);
    }
}
