//! NET032: extraHosts and the DNS parameters where ECS does not support them.

use super::common::{fargate, group_containers};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Container, NetworkMode, OsFamily};
use crate::rules::ports::common::{cname, container_path};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// Container network parameters that ECS does not support in some places:
    /// - `extraHosts`: not with `awsvpc`, not on Windows, not on Fargate (error);
    /// - `dnsServers`, `dnsSearchDomains`, `disableNetworking = true`: not on Windows and not on
    ///   Fargate (error). With `awsvpc` on EC2 Linux they are a warning: the 2023 developer guide
    ///   excluded them for awsvpc (historical error "DNS servers are not supported on container
    ///   when networkMode=awsvpc") but the current API reference lists only Windows.
    ///
    /// Fargate means `requires_compatibilities` contains `FARGATE`; the developer guide lists
    /// `disableNetworking`, `dnsSearchDomains`, `dnsServers`, `extraHosts` and `links` as not
    /// valid there (`links` is NET030's). Windows means
    /// `runtime_platform.operating_system_family` is a Windows value.
    ///
    /// ## Why it matters
    /// RegisterTaskDefinition rejects these combinations, so the apply fails; the awsvpc DNS
    /// settings may be rejected or ignored depending on the platform. In `awsvpc` mode the
    /// task uses the VPC's DNS resolver, so per-container DNS overrides do not do what
    /// they did in bridge mode.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   network_mode             = "awsvpc"
    ///   requires_compatibilities = ["FARGATE"]
    ///   container_definitions = jsonencode([{
    ///     name       = "api"
    ///     image      = "example/api:1"
    ///     extraHosts = [{ hostname = "db", ipAddress = "10.0.0.5" }]   # NET032
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove the parameter. Use a Route 53 private hosted zone or Cloud Map instead of
    /// `extraHosts`, and the VPC's DHCP options set (or Route 53 Resolver rules) instead of
    /// per-container DNS servers and search domains.
    pub struct ExtraHosts {
        id: "NET032",
        name: "unsupported-container-network-parameters",
        severity: Error,
        summary: "extraHosts is not supported with awsvpc, Windows or Fargate; DNS parameters not on Windows or Fargate",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html",
    }
}

/// Whether a container sets a parameter.
type IsSet = fn(&Container) -> bool;

/// Parameters this rule looks at, with how to read them from a container.
const PARAMS: &[(&str, IsSet)] = &[
    ("extraHosts", |c| !c.extra_hosts.is_empty()),
    ("dnsServers", |c| !c.dns_servers.is_empty()),
    ("dnsSearchDomains", |c| !c.dns_search_domains.is_empty()),
    ("disableNetworking", |c| c.disable_networking == Some(true)),
];

impl Rule for ExtraHosts {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            let Some((containers, s)) = group_containers(cx, &Self::META, td, out) else {
                continue;
            };
            let awsvpc = td.network_mode == NetworkMode::Awsvpc;
            let windows = td.os_family == OsFamily::Windows;
            let on_fargate = fargate(td) == Some(true);
            for (i, c) in containers.iter().enumerate() {
                for (param, set) in PARAMS {
                    if !set(c) {
                        continue;
                    }
                    let mut hard = Vec::new();
                    if windows {
                        hard.push("on Windows");
                    }
                    if on_fargate {
                        hard.push("on Fargate");
                    }
                    let extra_hosts = *param == "extraHosts";
                    if extra_hosts && awsvpc {
                        hard.push("with network_mode awsvpc");
                    }
                    let (severity, message, detail) = if !hard.is_empty() {
                        (
                            Severity::Error,
                            format!(
                                "container {} sets {param}, which is not supported {}",
                                cname(c, s),
                                hard.join(" or ")
                            ),
                            "RegisterTaskDefinition rejects the task definition.",
                        )
                    } else if awsvpc {
                        (
                            Severity::Warning,
                            format!(
                                "container {} sets {param} in awsvpc mode, where ECS has rejected or ignored it",
                                cname(c, s)
                            ),
                            "The 2023 developer guide excluded it for awsvpc (\"DNS servers are not supported on container when networkMode=awsvpc\"); the current API reference lists only Windows.",
                        )
                    } else {
                        continue;
                    };
                    cx.diag(&Self::META, &td.address, message)
                        .severity(severity)
                        .attribute(format!("{}.{param}", container_path(i)))
                        .detail(detail)
                        .help(if extra_hosts {
                            "Remove extraHosts; use a Route 53 private hosted zone or Cloud Map for names."
                        } else {
                            "Remove it; set DNS servers and search domains in the VPC's DHCP options set or with Route 53 Resolver rules."
                        })
                        .plan(td.plan)
                        .push(out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::model::testing::{container, task_definition};
    use crate::model::{Field, Model, TaskDefinition};
    use crate::rules::ports::common::run_rule;

    fn c() -> Container {
        let mut c = container("api", vec![]);
        c.extra_hosts = vec!["db".into()];
        c.dns_servers = vec!["10.0.0.2".into()];
        c
    }

    fn td(mode: NetworkMode) -> TaskDefinition {
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.containers = Field::known(vec![c()]);
        td
    }

    fn run(td: TaskDefinition) -> Vec<Diagnostic> {
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&ExtraHosts, &model, &Assumptions::default())
    }

    #[test]
    fn fires_on_awsvpc_extra_hosts_and_warns_dns() {
        let d = run(td(NetworkMode::Awsvpc));
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].extraHosts")
        );
        assert_eq!(d[1].severity, Severity::Warning);
        assert_eq!(
            d[1].attribute.as_deref(),
            Some("container_definitions[0].dnsServers")
        );
    }

    #[test]
    fn fires_on_fargate_and_windows_list() {
        let mut f = td(NetworkMode::Awsvpc);
        f.requires_compatibilities = Field::known(vec!["FARGATE".into()]);
        let d = run(f);
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.severity == Severity::Error));
        assert!(d[1].message.contains("on Fargate"));

        let mut w = td(NetworkMode::WindowsDefault);
        w.os_family = OsFamily::Windows;
        let d = run(w);
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.message.contains("on Windows")));
    }

    #[test]
    fn passes_in_linux_bridge_and_host() {
        assert!(run(td(NetworkMode::Bridge)).is_empty());
        assert!(run(td(NetworkMode::Host)).is_empty());
        let mut off = td(NetworkMode::Awsvpc);
        off.containers = Field::known(vec![Container {
            disable_networking: Some(false),
            ..container("a", vec![])
        }]);
        assert!(run(off).is_empty());
    }
}
