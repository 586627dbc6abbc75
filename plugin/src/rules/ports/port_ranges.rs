//! NET016: containerPortRange rules.

use super::common::{
    cname, container_path, mapping_path, parse_range, ports_containers, valid_range, PORT_MAX,
    PORT_MIN,
};
use crate::diagnostics::Diagnostic;
use crate::model::{show_value, NetworkMode};
use crate::rules::{Context, Rule, RuleMeta};

/// "You can specify a maximum of 100 port ranges per container."
const MAX_RANGES_PER_CONTAINER: usize = 100;

declare_rule! {
    /// ## What it checks
    /// Port mappings with `containerPortRange` follow the PortMapping rules:
    /// - only in `bridge` or `awsvpc` mode (not `host` or `none`);
    /// - at most 100 ranges per container;
    /// - written `first-last` with 1 <= first < last <= 65535;
    /// - no `hostPort` or `hostPortRange` alongside it (ECS sets the host side itself);
    /// - no overlap with another range or single port of the same container and protocol ("a
    ///   port can only be included in one port mapping per container").
    ///
    /// When the network mode is known only after apply, the mode check is skipped (NET001
    /// reports the unknown mode) and the others still run. Ranges also need ECS agent 1.67.0 on
    /// EC2 container instances, which the plan cannot show.
    ///
    /// ## Why it matters
    /// RegisterTaskDefinition rejects most of these; the rest fail when the agent starts the
    /// task. Port ranges are typically used for media or game servers, where a typo in the range
    /// string is easy to miss in review.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "rtp" {
    ///   network_mode = "host"   # NET016: ranges need bridge or awsvpc
    ///   container_definitions = jsonencode([{
    ///     name         = "rtp"
    ///     image        = "example/rtp:1"
    ///     portMappings = [{ containerPortRange = "10000-10100", protocol = "udp" }]
    ///   }])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use `bridge` or `awsvpc`, write the range as `first-last` with first lower than last,
    /// remove `hostPort`/`hostPortRange`, merge overlapping ranges, and keep at most 100 ranges
    /// per container.
    pub struct PortRanges {
        id: "NET016",
        name: "container-port-ranges",
        severity: Error,
        summary: "containerPortRange: bridge/awsvpc only, <= 100 per container, no overlaps, first < last, 1-65535, no hostPort",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    }
}

impl Rule for PortRanges {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if matches!(td.network_mode, NetworkMode::None | NetworkMode::Invalid(_)) {
                // none: NET012 rejects every mapping; invalid: NET001.
                continue;
            }
            let Some((containers, s)) = ports_containers(cx, &Self::META, td, out) else {
                continue;
            };
            let mode_forbids = td.network_mode == NetworkMode::Host;
            let mut push = |attribute: String, message: String, help: &str| {
                cx.diag(&Self::META, &td.address, message)
                    .attribute(attribute)
                    .help(help)
                    .plan(td.plan)
                    .push(out);
            };
            for (i, c) in containers.iter().enumerate() {
                // Most containers have no range: nothing to word for them.
                if !c
                    .port_mappings
                    .iter()
                    .any(|pm| pm.container_port_range.is_some())
                {
                    continue;
                }
                let who = cname(c, s);
                let ranges: Vec<usize> = c
                    .port_mappings
                    .iter()
                    .enumerate()
                    .filter(|(_, pm)| pm.container_port_range.is_some())
                    .map(|(j, _)| j)
                    .collect();
                if ranges.is_empty() {
                    continue;
                }
                if mode_forbids {
                    push(
                        format!("{}.containerPortRange", mapping_path(i, ranges[0])),
                        format!("container {who} uses containerPortRange, which is supported only in bridge and awsvpc mode, not host"),
                        "Use network_mode bridge or awsvpc, or list the ports individually with containerPort.",
                    );
                }
                if ranges.len() > MAX_RANGES_PER_CONTAINER {
                    push(
                        format!("{}.portMappings", container_path(i)),
                        format!(
                            "container {who} has {} port ranges; at most {MAX_RANGES_PER_CONTAINER} are allowed per container",
                            ranges.len()
                        ),
                        "Merge adjacent ranges so the container has at most 100.",
                    );
                }
                for &j in &ranges {
                    let pm = &c.port_mappings[j];
                    let raw = pm.container_port_range.as_deref().unwrap_or_default();
                    let shown = show_value(&raw, s);
                    let path = mapping_path(i, j);
                    match parse_range(raw) {
                        None => push(
                            format!("{path}.containerPortRange"),
                            format!("containerPortRange \"{shown}\" of container {who} is not of the form first-last"),
                            "Write the range as two port numbers separated by a dash, for example \"8000-8100\".",
                        ),
                        Some((lo, hi)) if lo < PORT_MIN || hi > PORT_MAX => push(
                            format!("{path}.containerPortRange"),
                            format!("containerPortRange \"{shown}\" of container {who} is outside 1-65535"),
                            "Keep both ends of the range between 1 and 65535.",
                        ),
                        Some((lo, hi)) if lo >= hi => push(
                            format!("{path}.containerPortRange"),
                            format!("containerPortRange \"{shown}\" of container {who} does not start lower than it ends"),
                            "Write the lower port first; a single port goes in containerPort instead.",
                        ),
                        Some(_) => {}
                    }
                    if pm.host_port.is_some() || pm.host_port_range.is_some() {
                        let field = if pm.host_port.is_some() {
                            "hostPort"
                        } else {
                            "hostPortRange"
                        };
                        push(
                            format!("{path}.{field}"),
                            format!("container {who} sets {field} alongside containerPortRange; ECS chooses the host ports of a range itself"),
                            "Remove hostPort and hostPortRange from port mappings that use containerPortRange.",
                        );
                    }
                }
                // Overlaps with earlier mappings of the same container and protocol.
                for &j in &ranges {
                    let pm = &c.port_mappings[j];
                    let Some((lo, hi)) = pm.container_port_range.as_deref().and_then(valid_range)
                    else {
                        continue;
                    };
                    let clash = c.port_mappings.iter().enumerate().find(|&(k, o)| {
                        if k == j || o.protocol != pm.protocol {
                            return false;
                        }
                        let other = match (&o.container_port_range, o.container_port) {
                            (Some(r), _) => valid_range(r),
                            (None, Some(p)) => Some((p, p)),
                            (None, None) => None,
                        };
                        // A range is reported against an earlier range, and a single port
                        // against any range that contains it.
                        other.is_some_and(|(a, b)| a <= hi && lo <= b)
                            && (o.container_port_range.is_none() || k < j)
                    });
                    if let Some((k, _)) = clash {
                        push(
                            format!("{}.containerPortRange", mapping_path(i, j)),
                            format!(
                                "containerPortRange \"{}\" of container {who} overlaps {} ({})",
                                show_value(&pm.container_port_range.as_deref().unwrap_or_default(), s),
                                if c.port_mappings[k].container_port_range.is_some() { "another range" } else { "a single port mapping" },
                                mapping_path(i, k)
                            ),
                            "Each port may appear in one port mapping per container: merge or split the ranges so they do not overlap.",
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::model::testing::{container, port, task_definition};
    use crate::model::{Field, Model, PortMapping};
    use crate::rules::ports::common::run_rule;

    fn run(mode: NetworkMode, ports: Vec<PortMapping>) -> Vec<Diagnostic> {
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.containers = Field::known(vec![container("rtp", ports)]);
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&PortRanges, &model, &Assumptions::default())
    }

    fn range(r: &str) -> PortMapping {
        PortMapping {
            container_port: None,
            container_port_range: Some(r.into()),
            ..port(0, None)
        }
    }

    #[test]
    fn fires_in_host_mode() {
        let d = run(NetworkMode::Host, vec![range("10000-10100")]);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("not host"));
    }

    #[test]
    fn fires_on_bad_ranges() {
        let with_host = PortMapping {
            host_port: Some(9000),
            ..range("9000-9010")
        };
        let d = run(
            NetworkMode::Awsvpc,
            vec![
                range("100"),
                range("0-10"),
                range("20-10"),
                with_host,
                range("8000-8100"),
                range("8050-8200"),
                port(8000, None),
            ],
        );
        let attrs: Vec<_> = d.iter().map(|d| d.attribute.clone().unwrap()).collect();
        assert_eq!(
            attrs,
            vec![
                "container_definitions[0].portMappings[0].containerPortRange",
                "container_definitions[0].portMappings[1].containerPortRange",
                "container_definitions[0].portMappings[2].containerPortRange",
                "container_definitions[0].portMappings[3].hostPort",
                "container_definitions[0].portMappings[4].containerPortRange",
                "container_definitions[0].portMappings[5].containerPortRange",
            ],
            "{d:#?}"
        );
        assert!(
            d[4].message.contains("a single port mapping"),
            "{}",
            d[4].message
        );
        assert!(d[5].message.contains("another range"), "{}", d[5].message);
    }

    #[test]
    fn fires_over_100_ranges() {
        let ports: Vec<_> = (0..101)
            .map(|k| range(&format!("{}-{}", 10000 + k * 10, 10005 + k * 10)))
            .collect();
        let d = run(NetworkMode::Bridge, ports);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].portMappings")
        );
    }

    #[test]
    fn passes_valid_ranges() {
        let udp = PortMapping {
            protocol: "udp".into(),
            ..range("8000-8100")
        };
        assert!(run(
            NetworkMode::Bridge,
            vec![range("8000-8100"), udp, range("9000-9001"), port(80, None)]
        )
        .is_empty());
        assert!(run(NetworkMode::Host, vec![port(80, None)]).is_empty());
        // Unknown mode: the mode check waits, the rest runs.
        assert!(run(NetworkMode::Unknown, vec![range("8000-8100")]).is_empty());
        assert_eq!(run(NetworkMode::Unknown, vec![range("8100-8000")]).len(), 1);
    }
}
