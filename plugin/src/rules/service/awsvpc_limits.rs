//! NET042: at most 16 subnets and 5 security groups, all in one VPC.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Link;
use crate::rules::{Context, Rule, RuleMeta};

use super::support::{self, Missing};

const MAX_SUBNETS: usize = 16;
const MAX_SECURITY_GROUPS: usize = 5;

declare_rule! {
    /// ## What it checks
    /// The `network_configuration` of an `aws_ecs_service` lists at most 16 subnets and at
    /// most 5 security groups, and the subnets the plan knows all belong to the same VPC.
    ///
    /// ## Why it matters
    /// These are the limits of the ECS `AwsVpcConfiguration` API object: CreateService and
    /// UpdateService reject longer lists, so the apply fails. Subnets from different VPCs
    /// cannot share the task's security groups (a security group belongs to one VPC), so
    /// tasks placed in the other VPC fail to start. An empty security group list is allowed
    /// and means the VPC's default group.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_service" "api" {
    ///   network_configuration {
    ///     subnets         = concat(module.vpc_a.private_subnets, module.vpc_b.private_subnets)
    ///     security_groups = [for k, sg in aws_security_group.api : sg.id]   # 7 groups: NET042
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Pass at most 16 subnets of one VPC, and merge rules into at most 5 security groups.
    pub struct AwsvpcLimits {
        id: "NET042",
        name: "awsvpc-configuration-limits",
        severity: Error,
        summary: "network_configuration allows at most 16 subnets and 5 security groups, in one VPC",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html",
    }
}

impl Rule for AwsvpcLimits {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in &cx.model.services {
            let Some(cfg) = support::awsvpc_config(svc) else {
                continue;
            };
            let mut unknown: Vec<&str> = Vec::new();
            match cfg.subnets.get() {
                Some(v) if v.len() > MAX_SUBNETS => cx
                    .diag(
                        &Self::META,
                        &svc.address,
                        format!(
                            "network_configuration lists {} subnets; ECS allows at most {MAX_SUBNETS}",
                            v.len()
                        ),
                    )
                    .attribute("network_configuration[0].subnets")
                    .help("Pass at most 16 subnets (one or two per Availability Zone is enough).")
                    .plan(svc.plan)
                    .push(out),
                Some(v) => {
                    // Same VPC: compare the VPCs of the subnets the plan knows.
                    let mut by_vpc: BTreeMap<String, Vec<String>> = BTreeMap::new();
                    for l in v {
                        let (name, vpc) = match support::subnet(cx.model, l, svc.plan) {
                            Some(s) => (s.address.clone(), s.vpc.as_ref()),
                            // Outside the plan: the VPC a filtered data.aws_subnets names.
                            None => match &l.literal {
                                Some(id) => (
                                    id.clone(),
                                    cx.model.filtered_subnet_vpcs.get(&(svc.plan, id.clone())),
                                ),
                                None => continue,
                            },
                        };
                        if let Some(vpc) = vpc {
                            if vpc.address.is_some() || vpc.literal.is_some() {
                                by_vpc.entry(vpc.describe()).or_default().push(name);
                            }
                        }
                    }
                    if by_vpc.len() > 1 {
                        let detail: Vec<String> = by_vpc
                            .iter()
                            .map(|(vpc, subnets)| format!("{vpc}: {}", support::and_list(subnets)))
                            .collect();
                        let mut d = cx
                            .diag(
                                &Self::META,
                                &svc.address,
                                format!(
                                    "network_configuration mixes subnets of {} VPCs; a task's subnets and security groups must share one VPC",
                                    by_vpc.len()
                                ),
                            )
                            .severity(Severity::Warning)
                            .attribute("network_configuration[0].subnets")
                            .detail(detail.join("\n"))
                            .help("Use subnets of the VPC the security groups belong to.")
                            .plan(svc.plan);
                        // Related: the subnets in the plan (not the ids outside it).
                        for s in by_vpc.values().flatten() {
                            if cx.model.subnet(s).is_some() {
                                d = d.related(s.clone());
                            }
                        }
                        d.push(out);
                    }
                }
                // Hidden among candidates that are at most 16, all in one VPC: whichever
                // of them the list holds, both limits hold.
                None if cfg
                    .subnet_candidates
                    .as_ref()
                    .is_some_and(|c| candidates_within_limits(cx, c, svc.plan)) => {}
                None => unknown.push("the number of subnets"),
            }
            match cfg.security_groups.get() {
                Some(v) if v.len() > MAX_SECURITY_GROUPS => cx
                    .diag(
                        &Self::META,
                        &svc.address,
                        format!(
                            "network_configuration lists {} security groups; ECS allows at most {MAX_SECURITY_GROUPS}",
                            v.len()
                        ),
                    )
                    .attribute("network_configuration[0].security_groups")
                    .help("Merge the rules into at most 5 security groups.")
                    .plan(svc.plan)
                    .push(out),
                Some(_) => {}
                // Unknown, but the configuration names at most that many groups.
                None if cfg
                    .security_groups_at_most
                    .is_some_and(|n| n <= MAX_SECURITY_GROUPS) => {}
                None => unknown.push("the number of security groups"),
            }
            // Only the security group list is unknown, and the configuration hides it: say
            // what besides the module's own groups can feed it.
            if let (["the number of security groups"], Some(why)) =
                (unknown.as_slice(), &cfg.security_groups_hidden)
            {
                out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    "network_configuration[0].security_groups",
                    "the subnet and security group limits",
                    &Missing::hidden(
                        format!("the security group list, which the configuration hides (a dynamic block, a local): {why}"),
                        "the Terraform sources beside the plan (run ecsnet where `terraform plan` ran, or --source DIR)",
                    ),
                ));
                continue;
            }
            if !unknown.is_empty() {
                let attr = if unknown.len() == 2 {
                    "network_configuration[0]"
                } else if unknown[0].contains("subnets") {
                    "network_configuration[0].subnets"
                } else {
                    "network_configuration[0].security_groups"
                };
                out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    attr,
                    "the subnet and security group limits",
                    &Missing::after_apply(
                        format!("{} is known only after apply", support::and_list(&unknown)),
                        "Build the lists from resources, data sources or variables whose length Terraform knows at plan time (a set containing ids that are still unknown has an unknown length).",
                    ),
                ));
            }
        }
    }
}

/// Whether every subnet a hidden list can hold (`candidates`) keeps the list within the
/// limits: at most [`MAX_SUBNETS`] candidates, each in the plan with a known VPC, all the
/// same one.
fn candidates_within_limits(cx: &Context<'_>, candidates: &Link, plan: usize) -> bool {
    candidates.candidates.len() <= MAX_SUBNETS
        && matches!(
            candidates.all(|a| {
                let vpc = cx.model.subnet_in(a, plan)?.vpc.as_ref()?;
                (vpc.address.is_some() || vpc.literal.is_some()).then(|| vpc.describe())
            }),
            crate::model::Verdict::All(_)
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{AwsvpcConfiguration, Field, Link, Model, Resolution};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model_with(c: AwsvpcConfiguration) -> Model {
        let mut m = Model::default();
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        s.network_configuration = Field::known(Some(c));
        m.services.push(s);
        m
    }

    fn model(subnets: usize, sgs: usize) -> Model {
        let names: Vec<String> = (0..subnets).map(|i| format!("aws_subnet.s[{i}]")).collect();
        let refs: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
        let mut c = t::awsvpc(&refs);
        c.security_groups = Field::known((0..sgs).map(|i| format!("sg-{i}")).collect());
        model_with(c)
    }

    #[test]
    fn fires_over_limits() {
        let d = run(&AwsvpcLimits, &model(17, 6));
        assert_eq!(firm(&d).len(), 2);
        assert!(d.iter().any(|d| d.message.contains("17 subnets")));
        assert!(d
            .iter()
            .any(|d| d.attribute.as_deref() == Some("network_configuration[0].security_groups")));
    }

    #[test]
    fn passes_at_limits() {
        assert!(run(&AwsvpcLimits, &model(16, 5)).is_empty());
        assert!(run(&AwsvpcLimits, &model(1, 0)).is_empty());
    }

    #[test]
    fn warns_on_two_vpcs() {
        let mut m = model(2, 1);
        for (i, vpc) in ["aws_vpc.a", "aws_vpc.b"].iter().enumerate() {
            let mut s = t::subnet(&format!("aws_subnet.s[{i}]"), "10.0.0.0/24", "eu-west-1a");
            s.vpc = Some(Link::to_address(*vpc, Resolution::ConfigReference, true));
            m.subnets.push(s);
        }
        let d = run(&AwsvpcLimits, &m);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].related.len(), 2);
    }

    #[test]
    fn hidden_subnets_pass_when_every_candidate_is_in_one_vpc() {
        let with = |vpcs: &[Option<&str>]| {
            let names: Vec<String> = (0..vpcs.len())
                .map(|i| format!("aws_subnet.s[{i}]"))
                .collect();
            let mut c = t::awsvpc(&[]);
            c.subnets = Field::unknown();
            c.subnet_candidates = Some(Link::one_of(names.clone()));
            let mut m = model_with(c);
            for (name, vpc) in names.iter().zip(vpcs) {
                let mut s = t::subnet(name, "10.0.0.0/24", "eu-west-1a");
                s.vpc = vpc.map(|v| Link::to_address(v, Resolution::ConfigReference, true));
                m.subnets.push(s);
            }
            run(&AwsvpcLimits, &m)
        };
        assert!(with(&[Some("aws_vpc.a"), Some("aws_vpc.a")]).is_empty());
        // Two VPCs, or one whose VPC is not known: which ones the list holds decides.
        for vpcs in [
            vec![Some("aws_vpc.a"), Some("aws_vpc.b")],
            vec![Some("aws_vpc.a"), None],
        ] {
            let d = with(&vpcs);
            assert_eq!((d.len(), unverified(&d).len()), (1, 1), "{d:#?}");
        }
        // More than 16 candidates may make a list over the limit.
        assert_eq!(unverified(&with(&[Some("aws_vpc.a"); 17])).len(), 1);
    }

    #[test]
    fn unknown_lists_give_one_unverifiable() {
        let mut c = t::awsvpc(&[]);
        c.subnets = Field::unknown();
        c.security_groups = Field::unknown();
        let m = model_with(c);
        let d = run(&AwsvpcLimits, &m);
        assert_eq!(d.len(), 1);
        assert_eq!(unverified(&d).len(), 1);
        assert!(d[0]
            .message
            .contains("subnets and the number of security groups"));
    }

    #[test]
    fn an_unknown_group_set_passes_when_the_configuration_names_at_most_five() {
        let with_bound = |n: Option<usize>| {
            let mut c = t::awsvpc(&["aws_subnet.s[0]"]);
            c.security_groups = Field::unknown();
            c.security_groups_at_most = n;
            run(&AwsvpcLimits, &model_with(c))
        };
        assert!(with_bound(Some(1)).is_empty());
        assert!(with_bound(Some(5)).is_empty());
        // Six named groups may still be fewer (duplicates): not a finding, a note.
        let d = with_bound(Some(6));
        assert_eq!((d.len(), unverified(&d).len()), (1, 1));
        assert!(d[0].message.contains("number of security groups"));
        assert_eq!(unverified(&with_bound(None)).len(), 1);
    }

    #[test]
    fn subnets_outside_the_plan_take_the_vpc_of_a_filtered_lookup() {
        let mut c = t::awsvpc(&[]);
        c.subnets = Field::known(vec![
            Link::outside("subnet-a"),
            Link::outside("subnet-b"),
            Link::to_address("aws_subnet.s[0]", Resolution::ConfigReference, true),
        ]);
        let mut m = model_with(c);
        let mut s = t::subnet("aws_subnet.s[0]", "10.0.0.0/24", "eu-west-1a");
        s.vpc = Some(Link::to_address(
            "aws_vpc.a",
            Resolution::ConfigReference,
            true,
        ));
        m.subnets.push(s);
        let vpc_a = Link::to_address("aws_vpc.a", Resolution::KnownValue, true);
        m.filtered_subnet_vpcs
            .insert((0, "subnet-a".into()), vpc_a.clone());
        // One VPC, named alike through the subnet in the plan and the filter.
        assert!(run(&AwsvpcLimits, &m).is_empty());
        m.filtered_subnet_vpcs
            .insert((0, "subnet-b".into()), Link::outside("vpc-0other"));
        let d = run(&AwsvpcLimits, &m);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("2 VPCs"));
        // Only the subnet in the plan is a related address.
        assert_eq!(d[0].related, vec!["aws_subnet.s[0]".to_string()]);
    }
}
