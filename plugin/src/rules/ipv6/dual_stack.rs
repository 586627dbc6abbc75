//! NET090: what an awsvpc task needs to get an IPv6 address.

use crate::diagnostics::Diagnostic;
use crate::model::{OsFamily, Val};
use crate::rules::service::support::{self, Awsvpc, Missing};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// For an `aws_ecs_service` running awsvpc tasks (EC2 or Fargate) in subnets that have
    /// an IPv6 CIDR block (an `ipv6_cidr_block` that parses as an IPv6 CIDR such as
    /// `2600:1f18:abcd:1::/64`; an empty or malformed value is no IPv6 block, and a value
    /// known only after apply makes the finding unverifiable, unless the Terraform sources
    /// write it with an expression that is never null, such as `cidrsubnet(aws_vpc.main.ipv6_cidr_block,
    /// 8, 1)`: Terraform fails a plan that passes null to `cidrsubnet` ("Invalid value for
    /// \"prefix\" parameter: argument must not be null", its error for any function
    /// parameter that does not accept null) instead of giving null, and a subnet's
    /// `ipv6_cidr_block` takes only an IPv6 CIDR block (Amazon EC2 API Reference,
    /// CreateSubnet: "For a dual stack subnet, specify both an IPv4 CIDR block and an IPv6
    /// CIDR block"; AWS::EC2::SubnetCidrBlock, Ipv6CidrBlock: "The IPv6 network range for
    /// the subnet, in CIDR notation."), so the subnet will have one), the `dualStackIPv6`
    /// account setting is enabled:
    /// by an `aws_ecs_account_setting_default` in the plan, or by
    /// `assume { dual_stack_ipv6 = true }` in `.ecsnet.hcl` when it was enabled outside
    /// Terraform. It also warns when such a service runs a Windows task definition, which
    /// never gets IPv6 in awsvpc mode.
    ///
    /// ## Why it matters
    /// Without `dualStackIPv6` (or on Windows) tasks in dual-stack subnets silently get only
    /// an IPv4 address: nothing fails at apply, but IPv6 clients, IPv6 target groups and
    /// IPv6-only dependencies cannot reach them. EC2 Linux tasks also need ECS agent 1.45.0
    /// or later, which ecsnet cannot see.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_subnet" "app" {
    ///   ipv6_cidr_block = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
    /// }
    /// resource "aws_ecs_service" "api" {
    ///   network_configuration {
    ///     subnets = [aws_subnet.app.id]   # NET090: dualStackIPv6 not enabled
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Enable the setting in the plan (or once per account and Region outside it, and add
    /// `assume { dual_stack_ipv6 = true }` to `.ecsnet.hcl`). Run IPv6 workloads on Linux.
    /// ```hcl
    /// resource "aws_ecs_account_setting_default" "ipv6" {
    ///   name  = "dualStackIPv6"
    ///   value = "enabled"
    /// }
    /// ```
    pub struct DualStack {
        id: "NET090",
        name: "ipv6-dual-stack-prerequisites",
        severity: Warning,
        summary: "awsvpc tasks get IPv6 only with the dualStackIPv6 account setting, on Linux, in subnets with an IPv6 CIDR",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html",
    }
}

const ATTR: &str = "network_configuration[0].subnets";
const ASSUME_HELP: &str = "If dualStackIPv6 is enabled for the account outside this plan, add `assume { dual_stack_ipv6 = true }` to .ecsnet.hcl; otherwise enable it in the plan:\nresource \"aws_ecs_account_setting_default\" \"ipv6\" {\n  name  = \"dualStackIPv6\"\n  value = \"enabled\"\n}";

/// State of the `dualStackIPv6` setting as ecsnet knows it.
enum Setting {
    Enabled,
    /// Not enabled, with why (for the message).
    NotEnabled(String),
    Unknown,
}

fn setting(cx: &Context<'_>) -> Setting {
    let s = &cx.model.account_settings.dual_stack_ipv6;
    let at = cx
        .model
        .account_settings
        .dual_stack_ipv6_address
        .clone()
        .unwrap_or_else(|| "the plan".to_string());
    match (&s.val, cx.assume.dual_stack_ipv6) {
        (Val::Known(true), _) => Setting::Enabled,
        (Val::Known(false), _) => Setting::NotEnabled(format!("{at} sets dualStackIPv6 to disabled")),
        (_, Some(true)) => Setting::Enabled,
        (_, Some(false)) => Setting::NotEnabled(
            "the configuration assumes dualStackIPv6 is disabled (assume { dual_stack_ipv6 = false })".to_string(),
        ),
        (Val::Null, None) => Setting::NotEnabled(
            "the plan does not enable the dualStackIPv6 account setting and no assume block says it is enabled".to_string(),
        ),
        (Val::Unknown, None) => Setting::Unknown,
    }
}

impl Rule for DualStack {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for svc in &cx.model.services {
            let Some(cfg) = support::awsvpc_config(svc) else {
                continue;
            };
            let Awsvpc::Yes(basis) = support::service_awsvpc(cx, svc) else {
                continue;
            };
            // Which of the service's subnets have an IPv6 CIDR, and which might. Subnets
            // outside the plan are not judged: nothing suggests IPv6 there, and asking about
            // every external subnet would drown the IPv4-only majority in findings.
            let Some(subnets) = cfg.subnets.get() else {
                continue;
            };
            let mut v6: Vec<String> = Vec::new();
            let mut maybe: Vec<String> = Vec::new();
            let mut set_unknown: Vec<String> = Vec::new();
            for l in subnets {
                let Some(s) = support::subnet(cx.model, l, svc.plan) else {
                    continue;
                };
                // Only a value that parses as an IPv6 CIDR counts: an empty or malformed
                // value is no IPv6 block, and an unknown one leaves the rule undecided.
                match s.has_ipv6_cidr() {
                    Some(true) => {
                        if s.ipv6_cidr_block.is_unknown() {
                            set_unknown.push(s.address.clone());
                        }
                        v6.push(s.address.clone())
                    }
                    None => maybe.push(s.address.clone()),
                    Some(false) => {}
                }
            }
            if v6.is_empty() && maybe.is_empty() {
                continue;
            }
            let windows = support::service_task_definition(cx.model, svc)
                .ok()
                .filter(|td| td.os_family == OsFamily::Windows);
            if let (Some(td), false) = (windows, v6.is_empty()) {
                let mut d = cx
                    .diag(
                        &Self::META,
                        &svc.address,
                        format!(
                            "task definition {} is Windows, and Windows awsvpc tasks get no IPv6 address, although subnet(s) {} have an IPv6 CIDR",
                            td.address,
                            support::and_list(&v6)
                        ),
                    )
                    .attribute(ATTR)
                    .help("Run IPv6 workloads on Linux task definitions, or do not rely on IPv6 for this service.")
                    .related(td.address.clone())
                    .plan(svc.plan);
                for s in &v6 {
                    d = d.related(s.clone());
                }
                d.push(out);
                continue;
            }
            match setting(cx) {
                Setting::Enabled => {}
                Setting::NotEnabled(why) if !v6.is_empty() => {
                    let mut d = cx
                        .diag(
                            &Self::META,
                            &svc.address,
                            format!(
                                "subnet(s) {} have an IPv6 CIDR, but {why}; this service's awsvpc tasks will get only an IPv4 address",
                                support::and_list(&v6)
                            ),
                        )
                        .attribute(ATTR)
                        .detail(if set_unknown.is_empty() {
                            basis
                        } else {
                            format!(
                                "{basis}\nThe ipv6_cidr_block of {} is known only after apply, but the Terraform sources write it with an expression that is never null (a function such as cidrsubnet, or a string template), so the subnets will have an IPv6 CIDR.",
                                support::and_list(&set_unknown)
                            )
                        })
                        .help(ASSUME_HELP)
                        .plan(svc.plan);
                    for s in &v6 {
                        d = d.related(s.clone());
                    }
                    if let Some(a) = &cx.model.account_settings.dual_stack_ipv6_address {
                        d = d.related(a.clone());
                    }
                    d.push(out);
                }
                Setting::NotEnabled(_) => out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    ATTR,
                    "whether this service's tasks need the dualStackIPv6 setting",
                    &Missing::after_apply(
                        format!(
                            "whether subnet(s) {} have an IPv6 CIDR is known only after apply, and the plan does not enable dualStackIPv6",
                            support::and_list(&maybe)
                        ),
                        format!("If the subnets are IPv4-only, ignore this rule for them. {ASSUME_HELP}"),
                    ),
                )),
                Setting::Unknown => {
                    let mut all = v6.clone();
                    all.extend(maybe.iter().cloned());
                    out.push(support::unverifiable(
                        cx,
                        &Self::META,
                        svc,
                        ATTR,
                        "that this service's tasks in IPv6 subnets get an IPv6 address",
                        &Missing::after_apply(
                            format!(
                                "the dualStackIPv6 account setting is known only after apply (subnets {})",
                                support::and_list(&all)
                            ),
                            format!("Set it from a literal, or add assume {{ dual_stack_ipv6 = true }} to .ecsnet.hcl if it is enabled. {ASSUME_HELP}"),
                        ),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::model::testing as t;
    use crate::model::{Field, Model, NetworkMode};
    use crate::rules::service::support::test_support::{firm, run, run_with, unverified};

    fn model(ipv6: Field<String>, setting: Field<bool>) -> Model {
        let mut m = Model::default();
        m.task_definitions.push(t::task_definition(
            "aws_ecs_task_definition.api",
            NetworkMode::Awsvpc,
        ));
        let mut sn = t::subnet("aws_subnet.app", "10.0.0.0/24", "eu-west-1a");
        sn.ipv6_cidr_block = ipv6;
        m.subnets.push(sn);
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        s.network_configuration = Field::known(Some(t::awsvpc(&["aws_subnet.app"])));
        m.services.push(s);
        m.account_settings.dual_stack_ipv6 = setting;
        m
    }

    fn v6() -> Field<String> {
        Field::known("2001:db8:1::/64".into())
    }

    #[test]
    fn fires_when_not_enabled() {
        for setting in [Field::null(), Field::known(false)] {
            let d = run(&DualStack, &model(v6(), setting));
            assert_eq!(firm(&d).len(), 1);
            assert_eq!(d[0].attribute.as_deref(), Some(ATTR));
            assert!(d[0]
                .help
                .as_deref()
                .unwrap()
                .contains("assume { dual_stack_ipv6 = true }"));
        }
    }

    #[test]
    fn passes_when_enabled_assumed_or_ipv4() {
        assert!(run(&DualStack, &model(v6(), Field::known(true))).is_empty());
        let a = Assumptions {
            dual_stack_ipv6: Some(true),
            ..Default::default()
        };
        assert!(run_with(&DualStack, &model(v6(), Field::null()), &a).is_empty());
        assert!(run(&DualStack, &model(Field::null(), Field::null())).is_empty());
        assert!(run(
            &DualStack,
            &model(Field::known(String::new()), Field::null())
        )
        .is_empty());
        // Only a parseable IPv6 CIDR is an IPv6 block.
        for junk in ["none", "10.0.0.0/24", "2001:db8::/129", "2001:db8::"] {
            assert!(
                run(&DualStack, &model(Field::known(junk.into()), Field::null())).is_empty(),
                "{junk}"
            );
        }
    }

    #[test]
    fn windows_gets_no_ipv6() {
        let mut m = model(v6(), Field::known(true));
        m.task_definitions[0].os_family = OsFamily::Windows;
        let d = run(&DualStack, &m);
        assert_eq!(firm(&d).len(), 1);
        assert!(d[0].message.contains("Windows"));
    }

    #[test]
    fn unknown_setting_or_cidr_is_unverifiable() {
        let d = run(&DualStack, &model(v6(), Field::unknown()));
        assert_eq!(unverified(&d).len(), 1);
        assert!(d[0]
            .help
            .as_deref()
            .unwrap()
            .contains("assume { dual_stack_ipv6 = true }"));
        let d = run(&DualStack, &model(Field::unknown(), Field::null()));
        assert_eq!(unverified(&d).len(), 1);
    }
}
