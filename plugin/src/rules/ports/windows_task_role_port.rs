//! NET020: on Windows container instances, IAM roles for tasks hold host port 80.

use crate::diagnostics::Diagnostic;
use crate::model::{OsFamily, TaskDefinition};
use crate::rules::{Context, Rule, RuleMeta};

use super::common::{cname, ports_containers, static_ports, uses_instance_ports};
use crate::model::ports::HostPort;

declare_rule! {
    /// ## What it checks
    /// A Windows `aws_ecs_task_definition` (`runtime_platform.operating_system_family` =
    /// `WINDOWS_*`) that sets `task_role_arn` maps no container to the static host port 80
    /// (TCP) of its container instance (the default Windows network mode, where `hostPort`
    /// binds on the instance). awsvpc tasks, which have their own network interface, are not
    /// concerned.
    ///
    /// ## Why it matters
    /// On Windows container instances, IAM roles for tasks are served by a credential proxy
    /// on the instance. The Amazon ECS Developer Guide ("Windows containers" caveats) says:
    /// "This credential proxy occupies port 80 on the container instance, so if you use IAM
    /// roles for tasks, port 80 is not available for tasks." The task is registered fine but
    /// cannot be placed on an instance that serves task roles.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "iis" {
    ///   task_role_arn = aws_iam_role.iis.arn
    ///   runtime_platform { operating_system_family = "WINDOWS_SERVER_2022_CORE" }
    ///   container_definitions = jsonencode([{
    ///     name         = "iis"
    ///     portMappings = [{ containerPort = 80, hostPort = 80 }]   # NET020
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use a dynamic host port (omit `hostPort`) behind an Application Load Balancer, which
    /// still serves port 80 to clients, or another static host port; or use `awsvpc`.
    pub struct WindowsTaskRolePort {
        id: "NET020",
        name: "windows-task-role-port-80",
        severity: Warning,
        summary: "On Windows instances, IAM roles for tasks occupy host port 80: a task role and a static host port 80 clash",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ECS_Windows.html",
    }
}

/// The port the credential proxy holds on Windows container instances.
const PROXY_PORT: i64 = 80;

/// What the rule finds.
struct Clash<'a> {
    container: String,
    port: &'a HostPort,
}

impl Clash<'_> {
    fn message(&self) -> String {
        format!(
            "container {} maps static host port {PROXY_PORT}, which the IAM roles for tasks credential proxy occupies on Windows container instances; this task definition uses a task role",
            self.container
        )
    }
}

const HELP: &str = "Omit hostPort (a dynamic host port) and put an Application Load Balancer listening on port 80 in front, or use another static host port or awsvpc.";

/// A task role is set (or will be: an unknown value comes from a configured role).
fn has_task_role(td: &TaskDefinition) -> bool {
    !td.task_role_arn.is_null()
}

impl Rule for WindowsTaskRolePort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if td.os_family != OsFamily::Windows
                || !uses_instance_ports(&td.network_mode)
                || !has_task_role(td)
            {
                continue;
            }
            let Some((containers, sensitive)) = ports_containers(cx, &Self::META, td, out) else {
                continue;
            };
            let ports = static_ports(&td.network_mode, containers);
            let clash = ports
                .iter()
                .find(|p| p.port == PROXY_PORT && p.protocol.eq_ignore_ascii_case("tcp"));
            if let Some(port) = clash {
                let v = Clash {
                    container: cname(&containers[port.container], sensitive),
                    port,
                };
                cx.diag(&Self::META, &td.address, v.message())
                    .attribute(v.port.attribute.clone())
                    .help(HELP)
                    .plan(td.plan)
                    .push(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::model::testing::port;
    use crate::model::{Field, NetworkMode};
    use crate::rules::ports::common::{run_on_task, web_task};

    fn td(os: OsFamily, host: Option<i64>, role: bool) -> TaskDefinition {
        let mut td = web_task(NetworkMode::WindowsDefault, os, vec![port(80, host)]);
        if role {
            td.task_role_arn = Field::known("arn:aws:iam::1:role/iis".into());
        }
        td
    }

    #[test]
    fn windows_role_and_port_80_fire() {
        let d = run_on_task(
            &WindowsTaskRolePort,
            td(OsFamily::Windows, Some(80), true),
            &Assumptions::default(),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].portMappings[0].hostPort")
        );
    }

    #[test]
    fn dynamic_port_no_role_or_linux_pass() {
        let a = Assumptions::default();
        for t in [
            td(OsFamily::Windows, None, true),
            td(OsFamily::Windows, Some(80), false),
            td(OsFamily::Linux, Some(80), true),
        ] {
            assert!(run_on_task(&WindowsTaskRolePort, t, &a).is_empty());
        }
    }
}
