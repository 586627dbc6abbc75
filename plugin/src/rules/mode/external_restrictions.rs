//! NET006: ECS Anywhere (the EXTERNAL launch type) has no awsvpc, no load balancing, no
//! service discovery and no Service Connect.

use crate::diagnostics::Diagnostic;
use crate::model::{Launch, NetworkMode, Service};
use crate::rules::service::support::{self, Awsvpc};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// For ECS Anywhere (external instances, the `EXTERNAL` launch type):
    /// - an `aws_ecs_task_definition` whose `requires_compatibilities` contains `EXTERNAL`
    ///   does not use `network_mode = "awsvpc"`;
    /// - an `aws_ecs_service` with `launch_type = "EXTERNAL"` runs no awsvpc task definition
    ///   and has no `load_balancer`, no `service_registries` and no enabled
    ///   `service_connect_configuration`.
    ///
    /// ## Why it matters
    /// External instances are on-premises servers or VMs: ECS cannot attach an elastic
    /// network interface to them or register them in a target group or Cloud Map. The
    /// Amazon ECS Developer Guide ("Amazon ECS clusters for the external launch type",
    /// networking considerations) says: "Service load balancing isn't supported. Service
    /// discovery isn't supported. Tasks that run on external instances must use the bridge,
    /// host, or none network modes. The awsvpc network mode isn't supported." and the Service
    /// Connect considerations: "External container instance for Amazon ECS Anywhere aren't
    /// supported with Service Connect." Registering such a task definition or creating such
    /// a service fails, or its tasks never start.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "sensor" {
    ///   launch_type = "EXTERNAL"
    ///   load_balancer {                       # NET006
    ///     target_group_arn = aws_lb_target_group.sensor.arn
    ///     container_name   = "sensor"
    ///     container_port   = 8080
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use `bridge` (or `host`, or `none`) task definitions for external instances, and reach
    /// the tasks without ECS integrations: a load balancer or DNS you manage on the external
    /// network. Run services that need awsvpc, load balancing, service discovery or Service
    /// Connect on EC2 or Fargate.
    pub struct ExternalRestrictions {
        id: "NET006",
        name: "external-launch-restrictions",
        severity: Error,
        summary: "ECS Anywhere (EXTERNAL) supports no awsvpc, load balancers, service discovery or Service Connect",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-anywhere.html",
    }
}

/// What the rule finds.
enum Violation {
    /// A task definition validated for EXTERNAL uses awsvpc.
    AwsvpcTaskDefinition,
    /// An EXTERNAL service runs awsvpc tasks (with why).
    AwsvpcService(String),
    LoadBalancer,
    ServiceDiscovery,
    ServiceConnect,
}

impl Violation {
    fn message(&self) -> String {
        let what = match self {
            Violation::AwsvpcTaskDefinition => {
                return "requires_compatibilities contains EXTERNAL but network_mode is \"awsvpc\"; tasks on external instances (ECS Anywhere) must use bridge, host or none".to_string()
            }
            Violation::AwsvpcService(_) => "awsvpc tasks",
            Violation::LoadBalancer => "load balancing (load_balancer)",
            Violation::ServiceDiscovery => "service discovery (service_registries)",
            Violation::ServiceConnect => "Service Connect",
        };
        format!("this service runs on external instances (launch_type EXTERNAL), which do not support {what}")
    }

    fn attribute(&self) -> &'static str {
        match self {
            Violation::AwsvpcTaskDefinition => "network_mode",
            Violation::AwsvpcService(_) => "task_definition",
            Violation::LoadBalancer => "load_balancer",
            Violation::ServiceDiscovery => "service_registries",
            Violation::ServiceConnect => "service_connect_configuration[0].enabled",
        }
    }

    fn help(&self) -> &'static str {
        match self {
            Violation::AwsvpcTaskDefinition | Violation::AwsvpcService(_) => {
                "Use network_mode = \"bridge\" (or host, or none) for tasks on external instances, or run this workload on EC2 or Fargate."
            }
            _ => "Remove it and reach the tasks through a load balancer or DNS you manage on the external network, or run the service on EC2 or Fargate.",
        }
    }
}

fn push(cx: &Context<'_>, address: &str, plan: usize, v: &Violation, out: &mut Vec<Diagnostic>) {
    let d = cx
        .diag(&ExternalRestrictions::META, address, v.message())
        .attribute(v.attribute())
        .help(v.help())
        .plan(plan);
    let d = match v {
        Violation::AwsvpcService(basis) => d.detail(basis.clone()),
        _ => d,
    };
    d.push(out);
}

/// The violations of a service on external instances.
fn service_violations(cx: &Context<'_>, svc: &Service) -> Vec<Violation> {
    let mut v = Vec::new();
    if let Awsvpc::Yes(basis) = support::service_awsvpc(cx, svc) {
        // A task definition that lists EXTERNAL is reported on its own (above).
        let reported = support::service_task_definition(cx.model, svc)
            .is_ok_and(|td| td.requires("EXTERNAL") == Some(true));
        if !reported {
            v.push(Violation::AwsvpcService(basis));
        }
    }
    if svc.load_balancers.get().is_some_and(|l| !l.is_empty()) {
        v.push(Violation::LoadBalancer);
    }
    if svc.service_registries.get().is_some_and(|r| !r.is_empty()) {
        v.push(Violation::ServiceDiscovery);
    }
    let connect = svc.service_connect.get().and_then(|c| c.as_ref());
    if connect.is_some_and(|c| c.enabled.get() == Some(&true)) {
        v.push(Violation::ServiceConnect);
    }
    v
}

impl Rule for ExternalRestrictions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if td.network_mode == NetworkMode::Awsvpc && td.requires("EXTERNAL") == Some(true) {
                push(
                    cx,
                    &td.address,
                    td.plan,
                    &Violation::AwsvpcTaskDefinition,
                    out,
                );
            }
        }
        for svc in &cx.model.services {
            if svc.launch.get() != Some(&Launch::External) {
                continue;
            }
            for v in service_violations(cx, svc) {
                push(cx, &svc.address, svc.plan, &v, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Link, Model, Resolution, ServiceConnect, ServiceRegistry};
    use crate::rules::load_balancer::test_support::lb;
    use crate::rules::service::support::test_support::run;

    fn model(mode: NetworkMode, launch: Launch) -> Model {
        t::one_service("sensor", mode, launch)
    }

    #[test]
    fn external_services_get_no_integrations() {
        let mut m = model(NetworkMode::Bridge, Launch::External);
        let s = &mut m.services[0];
        s.load_balancers = Field::known(vec![lb(Some(Link::outside("arn:tg")), "sensor", 80)]);
        s.service_registries = Field::known(vec![ServiceRegistry {
            registry: Link::to_address("x", Resolution::ConfigReference, true),
            port: Field::null(),
            container_name: Field::null(),
            container_port: Field::null(),
        }]);
        s.service_connect = Field::known(Some(ServiceConnect {
            enabled: Field::known(true),
            port_names: vec![],
        }));
        let d = run(&ExternalRestrictions, &m);
        let attrs: Vec<_> = d.iter().filter_map(|d| d.attribute.as_deref()).collect();
        assert_eq!(
            attrs,
            vec![
                "load_balancer",
                "service_registries",
                "service_connect_configuration[0].enabled"
            ]
        );
        // The same service on EC2 is fine.
        m.services[0].launch = Field::known(Launch::Ec2);
        assert!(run(&ExternalRestrictions, &m).is_empty());
    }

    #[test]
    fn awsvpc_is_reported_once() {
        let m = model(NetworkMode::Awsvpc, Launch::External);
        let d = run(&ExternalRestrictions, &m);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].address, "aws_ecs_service.sensor");
        let mut m = model(NetworkMode::Awsvpc, Launch::External);
        m.task_definitions[0].requires_compatibilities = Field::known(vec!["EXTERNAL".into()]);
        let d = run(&ExternalRestrictions, &m);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].address, "aws_ecs_task_definition.sensor");
        assert!(run(
            &ExternalRestrictions,
            &model(NetworkMode::Host, Launch::External)
        )
        .is_empty());
    }
}
