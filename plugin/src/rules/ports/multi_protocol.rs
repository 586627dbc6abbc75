//! NET014: a container port is exposed with one protocol only.

use std::collections::{HashMap, HashSet};

use super::common::{cname, mapping_path, num, ports_containers};
use crate::diagnostics::Diagnostic;
use crate::model::{NetworkMode, PortMapping};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// No container has two port mappings with the same `containerPort` and different
    /// `protocol`s (for example 53/tcp and 53/udp). Checked in every mode except `none`, where
    /// NET012 already rejects all mappings; the mode does not matter, so an unknown mode does
    /// not stop the check.
    ///
    /// ## Why it matters
    /// The PortMapping reference: "You can't expose the same container port for multiple
    /// protocols. If you attempt this, an error is returned." The apply fails at
    /// RegisterTaskDefinition.
    ///
    /// ## Example
    /// ```hcl
    /// container_definitions = jsonencode([{
    ///   name  = "dns"
    ///   image = "example/dns:1"
    ///   portMappings = [
    ///     { containerPort = 53, protocol = "udp" },
    ///     { containerPort = 53, protocol = "tcp" },   # NET014
    ///   ]
    /// }])
    /// ```
    ///
    /// ## How to fix
    /// Keep one protocol per container port. If the service really needs both, listen on a
    /// second port for the other protocol, or run a second container.
    pub struct MultiProtocol {
        id: "NET014",
        name: "container-port-multiple-protocols",
        severity: Error,
        summary: "A container port cannot be exposed for several protocols",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    }
}

/// Each mapping `j` that adds a new protocol to a container port already mapped with another
/// (the first mapping of that port and protocol), with the first earlier mapping `k` of the
/// port under another protocol. One pass: comparing each mapping with every earlier one
/// made 200,000 mappings take minutes.
fn new_protocols(pms: &[PortMapping]) -> Vec<(usize, usize)> {
    // Most containers map a few ports: comparing each with the earlier ones is then
    // cheaper than building two hash sets (and stays linear, at most SMALL² per container).
    const SMALL: usize = 8;
    if pms.len() <= SMALL {
        let mut out = Vec::new();
        for (j, pm) in pms.iter().enumerate() {
            let Some(cp) = pm.container_port else {
                continue;
            };
            let mut first = None;
            for (k, o) in pms[..j].iter().enumerate() {
                if o.container_port != Some(cp) {
                    continue;
                }
                if o.protocol == pm.protocol {
                    first = None;
                    break;
                }
                first = first.or(Some(k));
            }
            out.extend(first.map(|k| (j, k)));
        }
        return out;
    }
    // A protocol new for its port differs from the port's first mapping's, so that first
    // mapping is the earliest one under another protocol.
    let mut first_of_port: HashMap<i64, usize> = HashMap::new();
    let mut seen: HashSet<(i64, &str)> = HashSet::new();
    let mut out = Vec::new();
    for (j, pm) in pms.iter().enumerate() {
        let Some(cp) = pm.container_port else {
            continue;
        };
        if !seen.insert((cp, pm.protocol.as_str())) {
            continue;
        }
        match first_of_port.get(&cp) {
            Some(&k) => out.push((j, k)),
            None => {
                first_of_port.insert(cp, j);
            }
        }
    }
    out
}

impl Rule for MultiProtocol {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if matches!(td.network_mode, NetworkMode::None | NetworkMode::Invalid(_)) {
                continue;
            }
            let Some((containers, sensitive)) = ports_containers(cx, &Self::META, td, out) else {
                continue;
            };
            for (i, c) in containers.iter().enumerate() {
                let pms = &c.port_mappings;
                for (j, k) in new_protocols(pms) {
                    let pm = &pms[j];
                    let Some(cp) = pm.container_port else {
                        continue;
                    };
                    cx.diag(
                        &Self::META,
                        &td.address,
                        format!(
                            "container {} exposes containerPort {} as {} and as {} ({})",
                            cname(c, sensitive),
                            num(cp, sensitive),
                            pms[k].protocol,
                            pm.protocol,
                            mapping_path(i, k),
                        ),
                    )
                    .attribute(format!("{}.protocol", mapping_path(i, j)))
                    .detail("The PortMapping reference: you can't expose the same container port for multiple protocols; RegisterTaskDefinition returns an error.")
                    .help("Keep one protocol per container port; serve the other protocol on another port or from another container.")
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
    use crate::model::testing::{container, port, task_definition};
    use crate::model::{Container, Field, Model, PortMapping};
    use crate::rules::ports::common::run_rule;

    fn run(mode: NetworkMode, cs: Vec<Container>) -> Vec<Diagnostic> {
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.containers = Field::known(cs);
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&MultiProtocol, &model, &Assumptions::default())
    }

    #[test]
    fn new_protocols_agree_with_the_pairwise_definition() {
        let mut next = crate::diagnostics::test_numbers(0x9e37_79b9_7f4a_7c15u64);
        let mut found = 0;
        for _ in 0..2_000 {
            let pms: Vec<PortMapping> = (0..next(30))
                .map(|_| PortMapping {
                    container_port: (next(8) != 0).then(|| next(6) as i64),
                    protocol: ["tcp", "udp", "sctp"][next(3) as usize].into(),
                    ..port(0, None)
                })
                .collect();
            // What the rule computed before it was made one pass.
            let want: Vec<(usize, usize)> = pms
                .iter()
                .enumerate()
                .filter_map(|(j, pm)| {
                    let cp = pm.container_port?;
                    let same = |o: &&PortMapping| o.container_port == Some(cp);
                    let first = pms[..j]
                        .iter()
                        .position(|o| same(&o) && o.protocol != pm.protocol);
                    let repeated = pms[..j]
                        .iter()
                        .any(|o| same(&o) && o.protocol == pm.protocol);
                    first.filter(|_| !repeated).map(|k| (j, k))
                })
                .collect();
            found += want.len();
            assert_eq!(new_protocols(&pms), want);
        }
        assert!(found > 5_000, "too few to compare: {found}");
    }

    #[test]
    fn two_hundred_thousand_mappings_take_one_pass() {
        // Pairwise, this took minutes (the probe's 200k mappings: over 120 s with NET013).
        let mut pms: Vec<PortMapping> = (1..=200_000).map(|p| port(p, None)).collect();
        pms.push(udp(199_999));
        pms.push(udp(199_999));
        let d = run(NetworkMode::Bridge, vec![container("big", pms)]);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].portMappings[200000].protocol")
        );
    }

    fn udp(p: i64) -> PortMapping {
        PortMapping {
            protocol: "udp".into(),
            ..port(p, None)
        }
    }

    #[test]
    fn fires_on_tcp_and_udp() {
        let d = run(
            NetworkMode::Bridge,
            vec![container(
                "dns",
                vec![udp(53), port(53, None), port(53, None)],
            )],
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[0].portMappings[1].protocol")
        );
        assert!(
            d[0].message.contains("as udp and as tcp"),
            "{}",
            d[0].message
        );
        // The mode is irrelevant, so an unknown mode still checks.
        assert_eq!(
            run(
                NetworkMode::Unknown,
                vec![container("dns", vec![udp(53), port(53, None)])]
            )
            .len(),
            1
        );
    }

    #[test]
    fn passes_separate_containers_and_none() {
        assert!(run(
            NetworkMode::Awsvpc,
            vec![
                container("a", vec![udp(53)]),
                container("b", vec![port(53, None)])
            ]
        )
        .is_empty());
        assert!(run(
            NetworkMode::Awsvpc,
            vec![container("a", vec![udp(53), port(54, None)])]
        )
        .is_empty());
        assert!(run(
            NetworkMode::None,
            vec![container("a", vec![udp(53), port(53, None)])]
        )
        .is_empty());
    }
}
