//! NET044: EC2 awsvpc tasks in public subnets have no internet access.

use crate::diagnostics::Diagnostic;
use crate::model::{Launch, Val};
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Awsvpc, Missing, MissingKind};

declare_rule! {
    /// ## What it checks
    /// An `aws_ecs_service` running awsvpc tasks on EC2 capacity does not place them in
    /// public subnets. A subnet counts as public when the plan shows its route table sending
    /// `0.0.0.0/0` to an internet gateway; failing that, `map_public_ip_on_launch = true` is
    /// taken as a sign of a public subnet (the finding says which evidence it used).
    ///
    /// ## Why it matters
    /// The network interface ECS attaches to an EC2 awsvpc task never gets a public IP, so in
    /// a public subnet (no NAT gateway on the route) the task cannot reach the internet: image
    /// pulls from public registries, Secrets Manager, CloudWatch Logs and other AWS APIs time
    /// out, and tasks stop or never start. The container instance itself has a public IP,
    /// which makes the problem hard to see.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_subnet" "public" {
    ///   map_public_ip_on_launch = true
    /// }
    /// resource "aws_ecs_service" "api" {
    ///   launch_type = "EC2"
    ///   network_configuration {
    ///     subnets = [aws_subnet.public.id]   # NET044
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Put the service in private subnets that route `0.0.0.0/0` through a NAT gateway, or add
    /// VPC endpoints (ECR, S3, Logs, Secrets Manager) for everything the tasks reach. Or run
    /// the service on Fargate with `assign_public_ip = true`.
    pub struct Ec2PublicSubnets {
        id: "NET044",
        name: "ec2-awsvpc-public-subnet",
        severity: Warning,
        summary: "EC2 awsvpc tasks in public subnets get no public IP and no internet access",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html",
    }
}

const ATTR: &str = "network_configuration[0].subnets";

impl Rule for Ec2PublicSubnets {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in &cx.model.services {
            let Some(cfg) = support::awsvpc_config(svc) else {
                continue;
            };
            match support::service_awsvpc(cx, svc) {
                Awsvpc::Yes(_) => {}
                _ => continue,
            }
            let Some(subnets) = cfg.subnets.get() else {
                // Without the subnets there is nothing to judge; NET040/NET042 already say
                // the list is unknown, and a public subnet is the exception.
                continue;
            };
            let mut public: Vec<(String, &'static str)> = Vec::new();
            let mut undetermined: Vec<String> = Vec::new();
            let mut kind: Option<MissingKind> = None;
            for l in subnets {
                let Some(s) = support::subnet(cx.model, l, svc.plan) else {
                    undetermined.push(support::subnet_label(l));
                    let k = MissingKind::of_link(l);
                    MissingKind::add(&mut kind, k);
                    continue;
                };
                match (&s.public.val, &s.map_public_ip_on_launch.val) {
                    (Val::Known(true), _) => public.push((
                        s.address.clone(),
                        "its route table sends 0.0.0.0/0 to an internet gateway",
                    )),
                    (Val::Known(false), _) => {}
                    (_, Val::Known(true)) => public.push((
                        s.address.clone(),
                        "map_public_ip_on_launch = true (the plan does not show its route table)",
                    )),
                    _ => {
                        undetermined.push(s.address.clone());
                        let k = s.egress_unknown.unwrap_or(MissingKind::Hidden);
                        MissingKind::add(&mut kind, k);
                    }
                }
            }
            if public.is_empty() {
                if undetermined.is_empty() {
                    continue;
                }
                // Only EC2 tasks are affected, so an unknown launch needs no second guess here.
                if svc.launch.get() != Some(&Launch::Ec2) {
                    continue;
                }
                out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    ATTR,
                    "that this EC2 awsvpc service's subnets are private",
                    &Missing::new(
                        format!(
                            "the plan does not show whether {} route to an internet gateway",
                            support::and_list(&undetermined)
                        ),
                        "Manage the subnets' route tables and associations in the plan (or ignore this finding if the subnets are private).",
                        kind.unwrap_or(MissingKind::Hidden),
                    ),
                ));
                continue;
            }
            let names: Vec<String> = public.iter().map(|(a, _)| a.clone()).collect();
            let evidence: Vec<String> = public
                .iter()
                .map(|(a, why)| format!("{a}: {why}"))
                .collect();
            match svc.launch.get() {
                Some(Launch::Ec2) => {
                    let mut d = cx
                        .diag(
                            &Self::META,
                            &svc.address,
                            format!(
                                "this service runs awsvpc tasks on EC2 in public subnet(s) {}; EC2 task network interfaces get no public IP, so these tasks cannot reach the internet",
                                support::and_list(&names)
                            ),
                        )
                        .attribute(ATTR)
                        .detail(format!("Evidence:\n{}", evidence.join("\n")))
                        .help("Use private subnets routed through a NAT gateway (or add VPC endpoints for ECR, S3, CloudWatch Logs and Secrets Manager), or run the service on Fargate with assign_public_ip = true.")
                        .plan(svc.plan);
                    for n in names {
                        d = d.related(n);
                    }
                    d.push(out);
                }
                Some(_) => {}
                None => out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    ATTR,
                    "whether this service's tasks in public subnets run on EC2 (no public IP, no internet)",
                    &Missing::after_apply(
                        "where its tasks run (launch_type / capacity provider strategy) is known only after apply",
                        "Set launch_type or capacity_provider_strategy from values known at plan time.",
                    ),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Link, Model, NetworkMode};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(public: Field<bool>, map_public: bool, launch: Launch) -> Model {
        let mut m = Model::default();
        m.task_definitions.push(t::task_definition(
            "aws_ecs_task_definition.api",
            NetworkMode::Awsvpc,
        ));
        let mut sn = t::subnet("aws_subnet.pub", "10.0.0.0/24", "eu-west-1a");
        sn.public = public;
        sn.map_public_ip_on_launch = Field::known(map_public);
        m.subnets.push(sn);
        let mut s = t::service(
            "aws_ecs_service.api",
            "aws_ecs_task_definition.api",
            "aws_ecs_cluster.main",
        );
        s.network_configuration = Field::known(Some(t::awsvpc(&["aws_subnet.pub"])));
        s.launch = Field::known(launch);
        m.services.push(s);
        m
    }

    #[test]
    fn fires_with_route_evidence() {
        let d = run(
            &Ec2PublicSubnets,
            &model(Field::known(true), false, Launch::Ec2),
        );
        assert_eq!(firm(&d).len(), 1);
        assert!(d[0].detail.as_deref().unwrap().contains("internet gateway"));
        assert_eq!(d[0].related, vec!["aws_subnet.pub".to_string()]);
    }

    #[test]
    fn fires_with_map_public_ip_evidence() {
        let d = run(
            &Ec2PublicSubnets,
            &model(Field::unknown(), true, Launch::Ec2),
        );
        assert_eq!(firm(&d).len(), 1);
        assert!(d[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("map_public_ip_on_launch"));
    }

    #[test]
    fn passes_for_private_or_fargate() {
        assert!(run(
            &Ec2PublicSubnets,
            &model(Field::known(false), true, Launch::Ec2)
        )
        .is_empty());
        assert!(run(
            &Ec2PublicSubnets,
            &model(Field::known(true), true, Launch::Fargate)
        )
        .is_empty());
    }

    #[test]
    fn undetermined_subnet_is_unverifiable() {
        let d = run(
            &Ec2PublicSubnets,
            &model(Field::unknown(), false, Launch::Ec2),
        );
        assert_eq!(unverified(&d).len(), 1);
        let mut m = model(Field::known(false), false, Launch::Ec2);
        let mut c = t::awsvpc(&[]);
        c.subnets = Field::known(vec![Link::outside("subnet-0abc")]);
        m.services[0].network_configuration = Field::known(Some(c));
        let d = run(&Ec2PublicSubnets, &m);
        assert_eq!(unverified(&d).len(), 1);
        assert!(d[0].message.contains("subnet-0abc"));
    }
}
