//! NET005: Windows task definitions support only the default mode or awsvpc.

use crate::diagnostics::Diagnostic;
use crate::model::{NetworkMode, OsFamily};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// A task definition with `runtime_platform { operating_system_family = "WINDOWS_..." }`
    /// uses the Windows `default` mode (network mode omitted) or `awsvpc`. `bridge`, `host` and
    /// `none` are Linux-only. Windows on Fargate needs `awsvpc`: a Windows task definition that
    /// lists `FARGATE` without `awsvpc` is reported by NET003, and a Fargate service running a
    /// definition without `FARGATE` by NET004, so this rule does not repeat those.
    ///
    /// When the operating system family is known only after apply and the mode is `bridge`,
    /// `host` or `none`, the rule reports an unverifiable info.
    ///
    /// ## Why it matters
    /// The RegisterTaskDefinition reference allows only `<default>` or `awsvpc` for tasks on EC2
    /// Windows instances. A Linux-only mode either fails registration or leaves the tasks
    /// unable to start on the Windows container instances.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "iis" {
    ///   family       = "iis"
    ///   network_mode = "bridge"   # NET005
    ///   runtime_platform {
    ///     operating_system_family = "WINDOWS_SERVER_2022_CORE"
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Remove `network_mode` (Windows `default`, Docker `nat`) or set it to `awsvpc`; on Fargate
    /// use `awsvpc`.
    pub struct WindowsModes {
        id: "NET005",
        name: "windows-network-modes",
        severity: Error,
        summary: "Windows task definitions support only the default network mode or awsvpc",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html",
    }
}

impl Rule for WindowsModes {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if !matches!(
                td.network_mode,
                NetworkMode::Bridge | NetworkMode::Host | NetworkMode::None
            ) {
                continue;
            }
            let mode = td.network_mode.as_str();
            match td.os_family {
                OsFamily::Windows => cx
                    .diag(
                        &Self::META,
                        &td.address,
                        format!("network_mode \"{mode}\" is Linux-only, but this task definition runs Windows containers (runtime_platform.operating_system_family is Windows)"),
                    )
                    .attribute("network_mode")
                    .detail("Windows containers on EC2 support only the default mode (network_mode omitted) or awsvpc; on Fargate only awsvpc.")
                    .help("Remove network_mode to use the Windows default (nat) mode, or set network_mode = \"awsvpc\".")
                    .plan(td.plan)
                    .push(out),
                OsFamily::Unknown => cx
                    .diag(
                        &Self::META,
                        &td.address,
                        format!("runtime_platform.operating_system_family is known only after apply; if it is Windows, network_mode \"{mode}\" is not supported"),
                    )
                    .attribute("runtime_platform[0].operating_system_family")
                    .help("Set operating_system_family from a literal or a variable known at plan time.")
                    .plan(td.plan)
                    .unverifiable()
                    .missing(vec![crate::diagnostics::Missing::after_apply(format!("runtime_platform.operating_system_family of {} (known after apply)", td.address), "operating_system_family from a literal or a variable known at plan time")])
                    .push(out),
                OsFamily::Linux | OsFamily::Unspecified => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::diagnostics::Severity;
    use crate::model::testing::task_definition;
    use crate::model::{Model, TaskDefinition};
    use crate::rules::ports::common::run_rule;

    fn td(mode: NetworkMode, os: OsFamily) -> TaskDefinition {
        let mut td = task_definition("aws_ecs_task_definition.win", mode);
        td.os_family = os;
        td
    }

    fn run(td: TaskDefinition) -> Vec<Diagnostic> {
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&WindowsModes, &model, &Assumptions::default())
    }

    #[test]
    fn fires_on_linux_only_modes_for_windows() {
        for mode in [NetworkMode::Bridge, NetworkMode::Host, NetworkMode::None] {
            let d = run(td(mode.clone(), OsFamily::Windows));
            assert_eq!(d.len(), 1, "{mode:?}");
            assert_eq!(d[0].severity, Severity::Error);
            assert_eq!(d[0].attribute.as_deref(), Some("network_mode"));
        }
    }

    #[test]
    fn passes_default_awsvpc_and_linux() {
        assert!(run(td(NetworkMode::WindowsDefault, OsFamily::Windows)).is_empty());
        assert!(run(td(NetworkMode::Awsvpc, OsFamily::Windows)).is_empty());
        assert!(run(td(NetworkMode::Host, OsFamily::Linux)).is_empty());
        assert!(run(td(NetworkMode::Bridge, OsFamily::Unspecified)).is_empty());
    }

    #[test]
    fn unknown_os_is_unverifiable() {
        let d = run(td(NetworkMode::Host, OsFamily::Unknown));
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
        assert!(run(td(NetworkMode::Awsvpc, OsFamily::Unknown)).is_empty());
    }
}
