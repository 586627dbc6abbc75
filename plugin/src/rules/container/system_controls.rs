//! NET033: network sysctls (`systemControls` `net.*`) in host and awsvpc mode.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::model::{show_value, Container, NetworkMode};
use crate::rules::{Context, Rule, RuleMeta};

use super::common::group_containers;

declare_rule! {
    /// ## What it checks
    /// Network kernel parameters (`systemControls` entries whose `namespace` starts with
    /// `net.`) in `aws_ecs_task_definition` containers:
    /// - in `host` mode, none are set;
    /// - in `awsvpc` mode, two containers do not set the same parameter to different values.
    ///
    /// ## Why it matters
    /// The ECS API reference (SystemControl) says: "For tasks that use the host network mode,
    /// the network namespace systemControls aren't supported", since the task shares the
    /// instance's network namespace. And: "For tasks that use the awsvpc network mode
    /// including Fargate, if you set systemControls for any container, it applies to all
    /// containers in the task. If you set different systemControls for multiple containers
    /// in a single task, the container that's started last determines which systemControls
    /// take effect." Either way the containers do not run with the values written.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "proxy" {
    ///   network_mode = "host"
    ///   container_definitions = jsonencode([{
    ///     name           = "proxy"
    ///     systemControls = [{ namespace = "net.core.somaxconn", value = "4096" }]   # NET033
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// In host mode, set network sysctls on the container instance (user data) instead, or
    /// use `awsvpc` or `bridge`. In awsvpc mode, set each network parameter in one container
    /// only, or to the same value everywhere.
    pub struct SystemControls {
        id: "NET033",
        name: "network-system-controls",
        severity: Warning,
        summary: "Network systemControls (net.*) are not supported in host mode and apply task-wide in awsvpc mode",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_SystemControl.html",
    }
}

/// What the rule finds.
enum Violation {
    /// A container sets a network sysctl in host mode.
    HostMode {
        container: String,
        namespace: String,
    },
    /// Containers set one network sysctl to different values in awsvpc mode.
    Conflict {
        namespace: String,
        containers: Vec<String>,
    },
}

impl Violation {
    fn message(&self) -> String {
        match self {
            Violation::HostMode {
                container,
                namespace,
            } => format!(
                "container '{container}' sets the network kernel parameter {namespace}, but network namespace systemControls are not supported in host mode (the task shares the instance's network namespace)"
            ),
            Violation::Conflict {
                namespace,
                containers,
            } => format!(
                "containers {} set {namespace} to different values; in awsvpc mode network systemControls apply to the whole task and the container started last wins",
                containers.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    fn help(&self) -> &'static str {
        match self {
            Violation::HostMode { .. } => "Set the parameter on the container instance (user data), or use awsvpc or bridge mode.",
            Violation::Conflict { .. } => "Set each network parameter in one container only, or to the same value in all of them.",
        }
    }
}

fn net_controls(c: &Container) -> impl Iterator<Item = (&str, Option<&str>)> {
    c.system_controls()
        .into_iter()
        .filter(|(ns, _)| ns.starts_with("net."))
}

fn violations(
    mode: &NetworkMode,
    containers: &[Container],
    sensitive: bool,
) -> Vec<(usize, Violation)> {
    let name = |c: &Container| show_value(&c.name, sensitive);
    let mut out = Vec::new();
    match mode {
        NetworkMode::Host => {
            for (i, c) in containers.iter().enumerate() {
                if let Some((ns, _)) = net_controls(c).next() {
                    out.push((
                        i,
                        Violation::HostMode {
                            container: name(c),
                            namespace: show_value(&ns, sensitive),
                        },
                    ));
                }
            }
        }
        NetworkMode::Awsvpc => {
            // namespace → (value, first container index, container names)
            let mut seen: BTreeMap<&str, Vec<(Option<&str>, usize)>> = BTreeMap::new();
            for (i, c) in containers.iter().enumerate() {
                for (ns, v) in net_controls(c) {
                    seen.entry(ns).or_default().push((v, i));
                }
            }
            for (ns, setters) in seen {
                let first = setters[0].0;
                if setters.iter().all(|(v, _)| *v == first) {
                    continue;
                }
                let mut idx: Vec<usize> = setters.iter().map(|(_, i)| *i).collect();
                idx.dedup();
                out.push((
                    idx[0],
                    Violation::Conflict {
                        namespace: show_value(&ns, sensitive),
                        containers: idx.iter().map(|&i| name(&containers[i])).collect(),
                    },
                ));
            }
        }
        _ => {}
    }
    out
}

impl Rule for SystemControls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if !matches!(td.network_mode, NetworkMode::Host | NetworkMode::Awsvpc) {
                continue;
            }
            let Some((containers, sensitive)) = group_containers(cx, &Self::META, td, out) else {
                continue;
            };
            for (i, v) in violations(&td.network_mode, containers, sensitive) {
                cx.diag(&Self::META, &td.address, v.message())
                    .attribute(format!("container_definitions[{i}].systemControls"))
                    .help(v.help())
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
    use crate::model::testing::{container, task_definition};
    use crate::model::{Field, TaskDefinition};
    use crate::rules::ports::common::run_on_task;

    fn td(mode: NetworkMode, controls: &[(&str, &str, &str)]) -> TaskDefinition {
        let mut td = task_definition("aws_ecs_task_definition.proxy", mode);
        let names: Vec<&str> = {
            let mut n: Vec<&str> = controls.iter().map(|c| c.0).collect();
            n.dedup();
            n
        };
        td.containers = Field::known(
            names
                .iter()
                .map(|n| {
                    let mut c = container(n, vec![]);
                    let sc: Vec<_> = controls
                        .iter()
                        .filter(|c| c.0 == *n)
                        .map(|c| serde_json::json!({ "namespace": c.1, "value": c.2 }))
                        .collect();
                    c.raw = serde_json::json!({ "name": n, "systemControls": sc });
                    c
                })
                .collect(),
        );
        td
    }

    fn run(t: TaskDefinition) -> Vec<Diagnostic> {
        run_on_task(&SystemControls, t, &Assumptions::default())
    }

    #[test]
    fn host_mode_network_sysctls_fire() {
        let d = run(td(
            NetworkMode::Host,
            &[("proxy", "net.core.somaxconn", "4096")],
        ));
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("net.core.somaxconn"));
        assert!(run(td(
            NetworkMode::Host,
            &[("proxy", "kernel.msgmax", "65536")]
        ))
        .is_empty());
        assert!(run(td(
            NetworkMode::Bridge,
            &[("proxy", "net.core.somaxconn", "4096")]
        ))
        .is_empty());
    }

    #[test]
    fn awsvpc_conflicts_fire_agreement_passes() {
        let d = run(td(
            NetworkMode::Awsvpc,
            &[
                ("app", "net.ipv4.tcp_keepalive_time", "60"),
                ("sidecar", "net.ipv4.tcp_keepalive_time", "600"),
            ],
        ));
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("'app', 'sidecar'"),
            "{}",
            d[0].message
        );
        assert!(run(td(
            NetworkMode::Awsvpc,
            &[
                ("app", "net.ipv4.tcp_keepalive_time", "60"),
                ("sidecar", "net.ipv4.tcp_keepalive_time", "60")
            ],
        ))
        .is_empty());
    }
}
