//! NET043: `assign_public_ip = true` only on Fargate.

use crate::diagnostics::Diagnostic;
use crate::model::Launch;
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Missing};

declare_rule! {
    /// ## What it checks
    /// An `aws_ecs_service` with `network_configuration { assign_public_ip = true }` runs on
    /// Fargate. On EC2 capacity (`launch_type = "EC2"` or an Auto Scaling group capacity
    /// provider) the flag is rejected.
    ///
    /// ## Why it matters
    /// Only Fargate attaches a public IP to a task's network interface. For EC2 tasks ECS
    /// refuses the service: "Assign public IP is not supported for this launch type." The
    /// apply fails after everything else was created. (Managed Instances take public IPs from
    /// the subnet settings instead; ecsnet does not judge them.)
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "api" {
    ///   launch_type = "EC2"
    ///   network_configuration {
    ///     subnets          = var.public_subnet_ids
    ///     assign_public_ip = true   # NET043
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove `assign_public_ip` (or set it to false) and give EC2 awsvpc tasks outbound
    /// access through private subnets with a NAT gateway or VPC endpoints; or run the service
    /// on Fargate.
    pub struct AssignPublicIpFargateOnly {
        id: "NET043",
        name: "assign-public-ip-fargate-only",
        severity: Error,
        summary: "assign_public_ip = true is accepted only for Fargate tasks",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html",
    }
}

impl Rule for AssignPublicIpFargateOnly {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        const ATTR: &str = "network_configuration[0].assign_public_ip";
        for svc in &cx.model.services {
            let Some(cfg) = support::awsvpc_config(svc) else {
                continue;
            };
            let public = &cfg.assign_public_ip;
            if public.is_null() || public.get() == Some(&false) {
                continue;
            }
            match (public.get(), svc.launch.get()) {
                (Some(_), Some(Launch::Ec2)) => {
                    let mut d = cx
                        .diag(
                            &Self::META,
                            &svc.address,
                            format!(
                                "assign_public_ip is true but this service runs on EC2 capacity (set by {}); only Fargate tasks can get a public IP",
                                support::launch_attribute(svc)
                            ),
                        )
                        .attribute(ATTR)
                        .detail("CreateService rejects it: \"Assign public IP is not supported for this launch type.\"")
                        .help("Remove assign_public_ip (false is the default) and route EC2 awsvpc tasks through private subnets with a NAT gateway or VPC endpoints, or run the service on Fargate.")
                        .plan(svc.plan);
                    if let Some(items) = svc.capacity_provider_strategy.get() {
                        for a in items.iter().filter_map(|i| i.link.as_ref()?.address.clone()) {
                            d = d.related(a);
                        }
                    }
                    d.push(out);
                }
                (Some(_), Some(_)) => {}
                (Some(_), None) => out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    ATTR,
                    "that this service with assign_public_ip = true runs on Fargate",
                    &Missing::after_apply(
                        "where its tasks run (launch_type / capacity provider strategy) is known only after apply",
                        "Set launch_type or capacity_provider_strategy from values known at plan time.",
                    ),
                )),
                (None, Some(Launch::Ec2)) | (None, None) => out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    ATTR,
                    "that assign_public_ip is not enabled for EC2 tasks",
                    &Missing::after_apply(
                        "assign_public_ip is known only after apply",
                        "Set assign_public_ip from a literal or a variable known at plan time.",
                    ),
                )),
                (None, Some(_)) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Model};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(public: Field<bool>, launch: Field<Launch>) -> Model {
        let mut m = Model::default();
        let mut c = t::awsvpc(&["aws_subnet.a"]);
        c.assign_public_ip = public;
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        s.network_configuration = Field::known(Some(c));
        s.launch = launch;
        m.services.push(s);
        m
    }

    #[test]
    fn fires_on_ec2() {
        let d = run(
            &AssignPublicIpFargateOnly,
            &model(Field::known(true), Field::known(Launch::Ec2)),
        );
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("network_configuration[0].assign_public_ip")
        );
    }

    #[test]
    fn passes_on_fargate_or_false() {
        let m = model(Field::known(true), Field::known(Launch::Fargate));
        assert!(run(&AssignPublicIpFargateOnly, &m).is_empty());
        let m = model(Field::known(false), Field::known(Launch::Ec2));
        assert!(run(&AssignPublicIpFargateOnly, &m).is_empty());
        let m = model(Field::null(), Field::known(Launch::Ec2));
        assert!(run(&AssignPublicIpFargateOnly, &m).is_empty());
    }

    #[test]
    fn unknown_launch_or_flag_is_unverifiable() {
        let m = model(Field::known(true), Field::unknown());
        let d = run(&AssignPublicIpFargateOnly, &m);
        assert_eq!(unverified(&d).len(), 1);
        let m = model(Field::unknown(), Field::known(Launch::Ec2));
        assert_eq!(unverified(&run(&AssignPublicIpFargateOnly, &m)).len(), 1);
        let m = model(Field::unknown(), Field::known(Launch::Fargate));
        assert!(run(&AssignPublicIpFargateOnly, &m).is_empty());
    }
}
