//! NET021: Windows containers on Fargate cannot use container port 3150.

use crate::diagnostics::Diagnostic;
use crate::model::{OsFamily, PortMapping};
use crate::rules::{Context, Rule, RuleMeta};

use super::common::{cname, mapping_path, ports_containers, valid_range};

declare_rule! {
    /// ## What it checks
    /// A Windows `aws_ecs_task_definition` (`runtime_platform.operating_system_family` =
    /// `WINDOWS_*`) whose `requires_compatibilities` contains `FARGATE` maps no container port
    /// 3150 (`containerPort`, or a `containerPortRange` that includes it).
    ///
    /// ## Why it matters
    /// Fargate reserves that port for its own use in Windows tasks. The task definition
    /// parameters for Fargate say: "For Windows containers on Fargate, you can't use port 3150
    /// for the containerPort. This is because it's reserved."
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   requires_compatibilities = ["FARGATE"]
    ///   runtime_platform { operating_system_family = "WINDOWS_SERVER_2022_CORE" }
    ///   container_definitions = jsonencode([{
    ///     name         = "api"
    ///     portMappings = [{ containerPort = 3150 }]   # NET021
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Let the application listen on another port and map that one.
    pub struct WindowsFargateReservedPort {
        id: "NET021",
        name: "windows-fargate-reserved-port",
        severity: Error,
        summary: "Windows containers on Fargate cannot use containerPort 3150 (reserved)",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
    }
}

/// The port Fargate reserves in Windows tasks.
const RESERVED: i64 = 3150;

fn maps_reserved(pm: &PortMapping) -> bool {
    pm.container_port == Some(RESERVED)
        || pm
            .container_port_range
            .as_deref()
            .and_then(valid_range)
            .is_some_and(|(lo, hi)| (lo..=hi).contains(&RESERVED))
}

/// What the rule finds.
struct Reserved {
    container: String,
}

impl Reserved {
    fn message(&self) -> String {
        format!(
            "container {} maps container port {RESERVED}, which Fargate reserves in Windows tasks",
            self.container
        )
    }
}

impl Rule for WindowsFargateReservedPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if td.os_family != OsFamily::Windows || td.requires_fargate() != Some(true) {
                continue;
            }
            let Some((containers, sensitive)) = ports_containers(cx, &Self::META, td, out) else {
                continue;
            };
            for (i, c) in containers.iter().enumerate() {
                let Some(j) = c.port_mappings.iter().position(maps_reserved) else {
                    continue;
                };
                let v = Reserved {
                    container: cname(c, sensitive),
                };
                cx.diag(&Self::META, &td.address, v.message())
                    .attribute(mapping_path(i, j))
                    .help("Have the application listen on another port and map that one.")
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
    use crate::model::{Field, NetworkMode, TaskDefinition};
    use crate::rules::ports::common::{run_on_task, web_task};

    fn td(os: OsFamily, ports: Vec<PortMapping>, compat: &str) -> TaskDefinition {
        let mut td = web_task(NetworkMode::Awsvpc, os, ports);
        td.requires_compatibilities = Field::known(vec![compat.into()]);
        td
    }

    #[test]
    fn port_3150_on_windows_fargate_fires() {
        let a = Assumptions::default();
        let d = run_on_task(
            &WindowsFargateReservedPort,
            td(OsFamily::Windows, vec![port(3150, None)], "FARGATE"),
            &a,
        );
        assert_eq!(d.len(), 1);
        let mut range = port(1, None);
        range.container_port = None;
        range.container_port_range = Some("3000-3200".into());
        let d = run_on_task(
            &WindowsFargateReservedPort,
            td(OsFamily::Windows, vec![range], "FARGATE"),
            &a,
        );
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn elsewhere_passes() {
        let a = Assumptions::default();
        for t in [
            td(OsFamily::Windows, vec![port(3150, None)], "EC2"),
            td(OsFamily::Linux, vec![port(3150, None)], "FARGATE"),
            td(OsFamily::Windows, vec![port(3151, None)], "FARGATE"),
        ] {
            assert!(run_on_task(&WindowsFargateReservedPort, t, &a).is_empty());
        }
    }
}
