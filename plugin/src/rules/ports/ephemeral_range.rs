//! NET018: a static host port inside the ephemeral (dynamic) port range.

use super::common::{cname, num, ports_containers, static_ports, uses_instance_ports};
use crate::diagnostics::Diagnostic;
use crate::model::OsFamily;
use crate::rules::{Context, Rule, RuleMeta};

/// Linux kernel default `net.ipv4.ip_local_port_range` (ip-sysctl documentation), which the
/// ECS-optimized AMIs keep (aws/amazon-ecs-agent#2331); the agent reads it as its dynamic range.
const LINUX_KERNEL_RANGE: (i64, i64) = (32768, 60999);
/// The agent's Linux fallback when `ip_local_port_range` cannot be read
/// (`agent/utils/ephemeral_ports_linux.go`; the PortMapping reference quotes it too).
const LINUX_AGENT_FALLBACK: (i64, i64) = (49153, 65535);
/// The agent's Windows range (hard-coded; the PortMapping reference quotes it too).
const WINDOWS_RANGE: (i64, i64) = (49152, 65535);

declare_rule! {
    /// ## What it checks
    /// Static host ports on the container instance (a `bridge` `hostPort` other than 0, every
    /// `host`-mode port) are outside the range the ECS agent and the kernel hand out dynamically.
    ///
    /// Which range: `assume { dynamic_port_range = "32768-60999" }` (first-last) in `.ecsnet.hcl` when given
    /// (match the instances' `ECS_DYNAMIC_HOST_PORT_RANGE` or `ip_local_port_range`). Without
    /// it, ecsnet checks both Linux defaults and says which one a port falls in:
    /// - 32768-60999: the kernel's `ip_local_port_range` default, which the ECS-optimized
    ///   Linux AMIs keep, and which the agent reads as its dynamic range;
    /// - 49153-65535: the agent's fallback when that kernel parameter cannot be read (and the
    ///   number the PortMapping reference quotes).
    ///
    /// Together that is 32768-65535, matching the reference's "ports below 32768 are outside of
    /// the ephemeral port range". On Windows the range is 49152-65535.
    ///
    /// Sources: the ECS API reference `PortMapping.hostPort` (kernel range first, 49153-65535
    /// Linux / 49152-65535 Windows when it is unavailable); the Linux kernel's
    /// `Documentation/networking/ip-sysctl.rst` (default 32768 60999); aws/amazon-ecs-agent
    /// issue #2331 (ECS-optimized AMIs have `ip_local_port_range` 32768-60999); the agent's
    /// `agent/utils/ephemeral_ports_linux.go` and `getDefaultDynamicHostPortRange` (the
    /// fallback), and its README row `ECS_DYNAMIC_HOST_PORT_RANGE`. Since agent 1.70.0 the
    /// agent assigns bridge host ports from that range itself.
    ///
    /// ## Why it matters
    /// The PortMapping reference says not to specify a host port in the ephemeral range because
    /// those ports are reserved for automatic assignment. A bridge task with dynamic ports, or
    /// an outgoing connection of any process on the instance, can take the port first; the
    /// static-port task then fails to start or is not placed, intermittently. It is a warning
    /// because it depends on what else runs on the instance.
    ///
    /// ## Example
    /// ```hcl
    /// container_definitions = jsonencode([{
    ///   name         = "api"
    ///   image        = "example/api:1"
    ///   portMappings = [{ containerPort = 8080, hostPort = 50000 }]   # NET018
    /// }])
    /// ```
    ///
    /// ## How to fix
    /// Pick a host port below 32768 (and not reserved, see NET017), or use dynamic host ports
    /// behind a load balancer. If your instances use another dynamic range, set
    /// `dynamic_port_range` in the `assume` block.
    pub struct EphemeralRange {
        id: "NET018",
        name: "static-port-in-ephemeral-range",
        severity: Warning,
        summary: "A static host port inside the ephemeral port range collides with dynamic assignments",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    }
}

/// Ranges to check, each with what it is.
fn ranges(cx: &Context<'_>, os: OsFamily) -> Vec<((i64, i64), &'static str)> {
    if let Some((lo, hi)) = cx.assume.dynamic_port_range {
        return vec![(
            (i64::from(lo), i64::from(hi)),
            "the dynamic port range from assume.dynamic_port_range in the ecsnet configuration",
        )];
    }
    let linux = [
        (LINUX_KERNEL_RANGE, "the kernel's default ip_local_port_range on ECS-optimized Linux AMIs, which the ECS agent uses for dynamic host ports"),
        (LINUX_AGENT_FALLBACK, "the ECS agent's fallback dynamic range on Linux (used when ip_local_port_range cannot be read)"),
    ];
    let windows = (
        WINDOWS_RANGE,
        "the ECS agent's dynamic host port range on Windows",
    );
    match os {
        OsFamily::Windows => vec![windows],
        OsFamily::Linux | OsFamily::Unspecified => linux.to_vec(),
        // Either family: every range applies (the union is 32768-65535 either way).
        OsFamily::Unknown => {
            let mut v = linux.to_vec();
            v.push(windows);
            v
        }
    }
}

impl Rule for EphemeralRange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if !uses_instance_ports(&td.network_mode) {
                continue;
            }
            let Some((containers, s)) = ports_containers(cx, &Self::META, td, out) else {
                continue;
            };
            let rs = ranges(cx, td.os_family);
            for sp in static_ports(&td.network_mode, containers) {
                let inside: Vec<String> = rs
                    .iter()
                    .filter(|((lo, hi), _)| (*lo..=*hi).contains(&sp.port))
                    .map(|((lo, hi), what)| format!("{lo}-{hi} ({what})"))
                    .collect();
                if inside.is_empty() {
                    continue;
                }
                let c = &containers[sp.container];
                cx.diag(
                    &Self::META,
                    &td.address,
                    format!(
                        "static host port {} of container {} is inside the ephemeral port range, where dynamic host ports and outgoing connections can take it first",
                        num(sp.port, s),
                        cname(c, s),
                    ),
                )
                .attribute(sp.attribute.clone())
                .detail(format!("The port is inside {}.", inside.join(" and ")))
                .help("Choose a host port below 32768 that is not reserved, or use dynamic host ports behind a load balancer. If your instances set ECS_DYNAMIC_HOST_PORT_RANGE or ip_local_port_range, declare it with `assume { dynamic_port_range = \"32768-60999\" }` (your first-last) in .ecsnet.hcl.")
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
    use crate::diagnostics::Severity;
    use crate::model::testing::port;
    use crate::model::{NetworkMode, TaskDefinition};
    use crate::rules::ports::common::{run_on_task, web_task as td};

    fn run(td: TaskDefinition, assume: &Assumptions) -> Vec<Diagnostic> {
        run_on_task(&EphemeralRange, td, assume)
    }

    #[test]
    fn fires_inside_default_ranges() {
        let d = run(
            td(
                NetworkMode::Bridge,
                OsFamily::Linux,
                vec![
                    port(80, Some(32768)),
                    port(81, Some(50000)),
                    port(82, Some(65000)),
                ],
            ),
            &Assumptions::default(),
        );
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].severity, Severity::Warning);
        let details: Vec<_> = d.iter().map(|d| d.detail.clone().unwrap()).collect();
        assert!(details[0].contains("32768-60999") && !details[0].contains("49153"));
        assert!(details[1].contains("32768-60999") && details[1].contains("49153-65535"));
        assert!(details[2].contains("49153-65535") && !details[2].contains("32768-60999"));
        let d = run(
            td(
                NetworkMode::Host,
                OsFamily::Windows,
                vec![port(50000, None)],
            ),
            &Assumptions::default(),
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].detail.as_deref().unwrap().contains("49152-65535"));
    }

    #[test]
    fn passes_low_dynamic_and_awsvpc() {
        assert!(run(
            td(
                NetworkMode::Bridge,
                OsFamily::Linux,
                vec![port(80, Some(8080)), port(80, None), port(81, Some(32767))]
            ),
            &Assumptions::default()
        )
        .is_empty());
        assert!(run(
            td(
                NetworkMode::Awsvpc,
                OsFamily::Linux,
                vec![port(50000, None)]
            ),
            &Assumptions::default()
        )
        .is_empty());
        // Windows' range starts at 49152.
        assert!(run(
            td(
                NetworkMode::Host,
                OsFamily::Windows,
                vec![port(40000, None)]
            ),
            &Assumptions::default()
        )
        .is_empty());
    }

    #[test]
    fn assumption_replaces_defaults() {
        let assume = Assumptions {
            dynamic_port_range: Some((30000, 32767)),
            ..Default::default()
        };
        let d = run(
            td(
                NetworkMode::Bridge,
                OsFamily::Linux,
                vec![port(80, Some(31000)), port(81, Some(50000))],
            ),
            &assume,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].portMappings[0].hostPort")
        );
        assert!(d[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("assume.dynamic_port_range"));
    }
}
