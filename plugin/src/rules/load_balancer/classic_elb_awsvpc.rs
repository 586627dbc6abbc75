//! NET054: awsvpc services cannot use a Classic Load Balancer.

use crate::diagnostics::Diagnostic;
use crate::model::{LoadBalancer, Service};
use crate::rules::service::support::{self, Awsvpc};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// An `aws_ecs_service` whose tasks use the awsvpc network mode (every Fargate service,
    /// and EC2 or Managed Instances services with an awsvpc task definition) has no
    /// `load_balancer` block naming a Classic Load Balancer (`elb_name`).
    ///
    /// ## Why it matters
    /// A Classic Load Balancer registers EC2 instances, while an awsvpc task has its own
    /// network interface and IP address, so ECS cannot put it behind one. The ECS API
    /// reference (LoadBalancer) says: "Services with tasks that use the awsvpc network mode
    /// (for example, those with the Fargate launch type) only support Application Load
    /// Balancers and Network Load Balancers. Classic Load Balancers are not supported."
    /// CreateService is refused and the apply fails.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_elb" "legacy" {
    ///   name = "legacy"
    /// }
    ///
    /// resource "aws_ecs_service" "api" {
    ///   launch_type = "FARGATE"
    ///   load_balancer {
    ///     elb_name       = aws_elb.legacy.name   # NET054
    ///     container_name = "api"
    ///     container_port = 8080
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Put the service behind an Application or Network Load Balancer: an
    /// `aws_lb_target_group` with `target_type = "ip"` and `target_group_arn` in the
    /// `load_balancer` block instead of `elb_name`. To keep the Classic Load Balancer, run the
    /// tasks on EC2 in `bridge` or `host` mode.
    pub struct ClassicElbAwsvpc {
        id: "NET054",
        name: "awsvpc-classic-load-balancer",
        severity: Error,
        summary: "awsvpc services (Fargate included) cannot use a Classic Load Balancer (elb_name)",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LoadBalancer.html",
    }
}

/// What the rule finds about one service.
enum Violation<'a> {
    /// A block names a Classic Load Balancer and the tasks use awsvpc (with why).
    ClassicWithAwsvpc { elb: String, basis: &'a str },
    /// A block names a Classic Load Balancer but the network mode cannot be told.
    ModeUnknown { elb: String, missing: String },
}

impl Violation<'_> {
    fn message(&self) -> String {
        match self {
            Violation::ClassicWithAwsvpc { elb, .. } => format!(
                "load_balancer names the Classic Load Balancer {elb}, but this service's tasks use awsvpc, which only Application and Network Load Balancers support"
            ),
            Violation::ModeUnknown { elb, missing } => format!(
                "could not verify that this service may use the Classic Load Balancer {elb} (not with awsvpc tasks): {missing}"
            ),
        }
    }
}

const HELP: &str = "Use an Application or Network Load Balancer: a target group with target_type = \"ip\" in target_group_arn instead of elb_name. Or run the tasks on EC2 in bridge or host mode.";

/// The first `load_balancer` block naming a Classic Load Balancer, with its index.
fn classic(lbs: &[LoadBalancer]) -> Option<(usize, &LoadBalancer)> {
    lbs.iter()
        .enumerate()
        .find(|(_, lb)| !lb.elb_name.is_null())
}

impl Rule for ClassicElbAwsvpc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in &cx.model.services {
            let Some((i, lb)) = svc.load_balancers.get().and_then(|v| classic(v)) else {
                continue;
            };
            let elb = lb.elb_name.show();
            let awsvpc = support::service_awsvpc(cx, svc);
            let v = match &awsvpc {
                Awsvpc::Yes(basis) => Violation::ClassicWithAwsvpc { elb, basis },
                Awsvpc::Unknown(m) => Violation::ModeUnknown {
                    elb,
                    missing: m.what.clone(),
                },
                Awsvpc::No(..) | Awsvpc::Invalid => continue,
            };
            push(cx, svc, i, &v, out);
        }
    }
}

fn push(cx: &Context<'_>, svc: &Service, i: usize, v: &Violation<'_>, out: &mut Vec<Diagnostic>) {
    let d = cx
        .diag(&ClassicElbAwsvpc::META, &svc.address, v.message())
        .attribute(format!("load_balancer[{i}].elb_name"))
        .help(HELP)
        .plan(svc.plan);
    let d = match v {
        Violation::ClassicWithAwsvpc { basis, .. } => d.detail(basis.to_string()),
        Violation::ModeUnknown { .. } => d.unverifiable(),
    };
    d.push(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Launch, Model, NetworkMode};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(mode: NetworkMode, launch: Launch, elb: bool) -> Model {
        let mut m = Model::default();
        m.task_definitions
            .push(t::task_definition("aws_ecs_task_definition.api", mode));
        let mut s = t::service(
            "aws_ecs_service.api",
            "aws_ecs_task_definition.api",
            "aws_ecs_cluster.main",
        );
        s.launch = Field::known(launch);
        s.load_balancers = Field::known(vec![LoadBalancer {
            target_group: None,
            elb_name: if elb {
                Field::known("legacy".into())
            } else {
                Field::null()
            },
            container_name: Field::known("api".into()),
            container_port: Field::known(80),
        }]);
        m.services.push(s);
        m
    }

    #[test]
    fn fires_for_awsvpc_and_fargate() {
        let d = run(
            &ClassicElbAwsvpc,
            &model(NetworkMode::Awsvpc, Launch::Ec2, true),
        );
        assert_eq!(firm(&d).len(), 1);
        assert!(d[0].message.contains("legacy"));
        assert_eq!(d[0].attribute.as_deref(), Some("load_balancer[0].elb_name"));
        let mut m = model(NetworkMode::Awsvpc, Launch::Fargate, true);
        m.services[0].task_definition = crate::model::Link::outside("api:3");
        assert_eq!(firm(&run(&ClassicElbAwsvpc, &m)).len(), 1);
    }

    #[test]
    fn passes_for_bridge_or_target_groups() {
        assert!(run(
            &ClassicElbAwsvpc,
            &model(NetworkMode::Bridge, Launch::Ec2, true)
        )
        .is_empty());
        assert!(run(
            &ClassicElbAwsvpc,
            &model(NetworkMode::Awsvpc, Launch::Fargate, false)
        )
        .is_empty());
    }

    #[test]
    fn unknown_mode_is_unverifiable() {
        let mut m = model(NetworkMode::Awsvpc, Launch::Ec2, true);
        m.services[0].task_definition = crate::model::Link::outside("api:3");
        m.services[0].network_configuration = Field::unknown();
        assert_eq!(unverified(&run(&ClassicElbAwsvpc, &m)).len(), 1);
    }
}
