//! NET013: each host port/protocol is bound once per task.

use std::collections::HashMap;

use super::common::{cname, mapping_path, num, ports_containers, valid_range, PORT_MAX, PORT_MIN};
use crate::diagnostics::Diagnostic;
use crate::model::{Container, NetworkMode};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// Within one task definition, no two port mappings bind the same host port with the same
    /// protocol, across all containers:
    /// - `awsvpc`: the host port is the container port (and a `containerPortRange` binds the
    ///   same range on the task ENI);
    /// - `host`: the host port is the container port;
    /// - `bridge` (and Windows `default`): only static host ports (`hostPort` set and not 0);
    ///   dynamic mappings get distinct ports from the agent.
    ///
    /// Overlapping ranges inside one container are NET016's. When `container_definitions` is
    /// known only after apply, this rule reports the port group's single unverifiable info for
    /// `bridge` task definitions.
    ///
    /// ## Why it matters
    /// A port can be bound only once on an address. RegisterTaskDefinition rejects the
    /// definition ("TCP host port 'N' is mapped multiple times in task"), so the apply fails.
    /// It usually comes from a sidecar copied from another task that listens on the same port.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   network_mode = "awsvpc"
    ///   container_definitions = jsonencode([
    ///     { name = "api",   image = "example/api:1",   portMappings = [{ containerPort = 8080 }] },
    ///     { name = "proxy", image = "example/proxy:1", portMappings = [{ containerPort = 8080 }] },  # NET013
    ///   ])
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Give each container its own port (change what the second container listens on), or drop
    /// the mapping from the container that does not need to be reachable.
    pub struct DuplicateHostPort {
        id: "NET013",
        name: "duplicate-host-port",
        severity: Error,
        summary: "A host port/protocol may be mapped only once per task",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html",
    }
}

/// The host ports one mapping binds.
struct Binding<'c> {
    container: usize,
    mapping: usize,
    lo: i64,
    hi: i64,
    protocol: &'c str,
    is_range: bool,
    /// The mapping's attribute that binds them, after [`mapping_path`] (written out only
    /// for a finding).
    attribute: &'static str,
}

fn bindings<'c>(mode: &NetworkMode, containers: &'c [Container]) -> Vec<Binding<'c>> {
    let mut v = Vec::new();
    for (i, c) in containers.iter().enumerate() {
        for (j, pm) in c.port_mappings.iter().enumerate() {
            let found = match mode {
                NetworkMode::Awsvpc | NetworkMode::Host => {
                    if let Some(r) = &pm.container_port_range {
                        // Ranges are static on the ENI in awsvpc; in host mode NET016 rejects them.
                        match (mode, valid_range(r)) {
                            (NetworkMode::Awsvpc, Some((lo, hi))) => {
                                Some((lo, hi, true, ".containerPortRange"))
                            }
                            _ => None,
                        }
                    } else {
                        pm.container_port
                            .filter(|p| (PORT_MIN..=PORT_MAX).contains(p))
                            .map(|p| (p, p, false, ".containerPort"))
                    }
                }
                NetworkMode::Bridge | NetworkMode::WindowsDefault => match pm.host_port {
                    Some(h) if h != 0 && pm.container_port_range.is_none() => {
                        Some((h, h, false, ".hostPort"))
                    }
                    _ => None,
                },
                _ => None,
            };
            if let Some((lo, hi, is_range, attribute)) = found {
                v.push(Binding {
                    container: i,
                    mapping: j,
                    lo,
                    hi,
                    protocol: &pm.protocol,
                    is_range,
                    attribute,
                });
            }
        }
    }
    v
}

/// For each binding, the first binding before it that binds one of its host ports with the
/// same protocol: any binding of another container, or a single port (not a range) of the
/// same container (ranges of one container are NET016's). In n log n time: a task with
/// 200,000 mappings used to take minutes comparing every pair.
fn first_clashes(bs: &[Binding]) -> Vec<Option<usize>> {
    let mut out = vec![None; bs.len()];
    let mut by_protocol: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, b) in bs.iter().enumerate() {
        by_protocol.entry(b.protocol).or_default().push(k);
    }
    for group in by_protocol.values() {
        // Ports as positions among the ends of the group's bindings: two closed intervals
        // with ends among them overlap exactly when their positions do.
        let mut ends: Vec<i64> = group.iter().flat_map(|&k| [bs[k].lo, bs[k].hi]).collect();
        ends.sort_unstable();
        ends.dedup();
        let pos = |p: i64| ends.partition_point(|&e| e < p);
        // Bindings come container by container: those of earlier containers are in `cover`,
        // the current container's single ports in `points`.
        let mut cover = FirstCover::new(ends.len());
        let mut points: HashMap<i64, usize> = HashMap::new();
        let mut current: Vec<usize> = Vec::new();
        for &k in group {
            let b = &bs[k];
            if current
                .first()
                .is_some_and(|&c| bs[c].container != b.container)
            {
                for c in current.drain(..) {
                    cover.insert(pos(bs[c].lo), pos(bs[c].hi), c);
                }
                points.clear();
            }
            let other = cover.first(pos(b.lo), pos(b.hi));
            let same = (!b.is_range).then(|| points.get(&b.lo).copied()).flatten();
            out[k] = match (other, same) {
                (Some(a), Some(c)) => Some(a.min(c)),
                (a, c) => a.or(c),
            };
            if !b.is_range {
                points.entry(b.lo).or_insert(k);
            }
            current.push(k);
        }
    }
    out
}

/// Positions `0..n`, each covered by the first of the intervals inserted (in increasing id
/// order) that covers it; asks for the first id covering any position of an interval.
/// Every position is set once (the next unset one is found through path-compressed links),
/// and a minimum tree answers the question: O((n + inserts + questions) log n).
struct FirstCover {
    /// `next[i]`: a position at or after `i` that may be unset (`n`: none).
    next: Vec<usize>,
    /// Minimum tree over the positions, leaves at `n..2n`.
    tree: Vec<usize>,
}

impl FirstCover {
    fn new(n: usize) -> Self {
        FirstCover {
            next: (0..=n).collect(),
            tree: vec![usize::MAX; 2 * n],
        }
    }

    fn unset_from(&mut self, i: usize) -> usize {
        let mut root = i;
        while self.next[root] != root {
            root = self.next[root];
        }
        let mut j = i;
        while self.next[j] != root {
            let up = self.next[j];
            self.next[j] = root;
            j = up;
        }
        root
    }

    fn insert(&mut self, lo: usize, hi: usize, id: usize) {
        let n = self.tree.len() / 2;
        let mut i = self.unset_from(lo);
        while i <= hi && i < n {
            let mut t = i + n;
            self.tree[t] = id;
            while t > 1 {
                t /= 2;
                self.tree[t] = self.tree[2 * t].min(self.tree[2 * t + 1]);
            }
            self.next[i] = i + 1;
            i = self.unset_from(i + 1);
        }
    }

    fn first(&self, lo: usize, hi: usize) -> Option<usize> {
        let n = self.tree.len() / 2;
        let (mut l, mut r) = (lo + n, hi + n + 1);
        let mut best = usize::MAX;
        while l < r {
            if l % 2 == 1 {
                best = best.min(self.tree[l]);
                l += 1;
            }
            if r % 2 == 1 {
                r -= 1;
                best = best.min(self.tree[r]);
            }
            l /= 2;
            r /= 2;
        }
        (best != usize::MAX).then_some(best)
    }
}

fn describe(b: &Binding, sensitive: bool) -> String {
    if b.is_range {
        format!("{}-{}", num(b.lo, sensitive), num(b.hi, sensitive))
    } else {
        num(b.lo, sensitive)
    }
}

impl Rule for DuplicateHostPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            // none: NET012; invalid: NET001. An unknown mode is NET001's, but this rule still
            // owns the unknown-containers info then.
            let relevant = match td.network_mode {
                NetworkMode::Awsvpc
                | NetworkMode::Host
                | NetworkMode::Bridge
                | NetworkMode::WindowsDefault => true,
                NetworkMode::Unknown => td.containers.is_unknown(),
                NetworkMode::None | NetworkMode::Invalid(_) => false,
            };
            if !relevant {
                continue;
            }
            let Some((containers, sensitive)) = ports_containers(cx, &Self::META, td, out) else {
                continue;
            };
            let bs = bindings(&td.network_mode, containers);
            let clashes = first_clashes(&bs);
            for (b, clash) in bs.iter().zip(clashes) {
                let Some(a) = clash.map(|i| &bs[i]) else {
                    continue;
                };
                let ca = &containers[a.container];
                let cb = &containers[b.container];
                let proto = b.protocol.to_ascii_uppercase();
                let port = if a.is_range || b.is_range {
                    format!(
                        "host ports {} and {} overlap",
                        describe(a, sensitive),
                        describe(b, sensitive)
                    )
                } else {
                    format!(
                        "host port {} is mapped more than once",
                        describe(b, sensitive)
                    )
                };
                cx.diag(
                    &Self::META,
                    &td.address,
                    format!(
                        "{proto} {port} in this {} task: container {} ({}) and container {} ({})",
                        td.network_mode.as_str(),
                        cname(ca, sensitive),
                        mapping_path(a.container, a.mapping),
                        cname(cb, sensitive),
                        mapping_path(b.container, b.mapping),
                    ),
                )
                .attribute(format!(
                    "{}{}",
                    mapping_path(b.container, b.mapping),
                    b.attribute
                ))
                .detail(format!(
                    "RegisterTaskDefinition rejects it: \"{proto} host port '{}' is mapped multiple times in task.\"",
                    num(b.lo.max(a.lo), sensitive)
                ))
                .help("Give each container its own port, or remove the mapping from the container that does not need it.")
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
    use crate::model::testing::{container, port, task_definition};
    use crate::model::{Field, Model, PortMapping};
    use crate::rules::ports::common::run_rule;

    fn run(mode: NetworkMode, cs: Vec<Container>) -> Vec<Diagnostic> {
        let mut td = task_definition("aws_ecs_task_definition.a", mode);
        td.containers = Field::known(cs);
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        run_rule(&DuplicateHostPort, &model, &Assumptions::default())
    }

    fn udp(p: i64, h: Option<i64>) -> PortMapping {
        PortMapping {
            protocol: "udp".into(),
            ..port(p, h)
        }
    }

    fn range(r: &str) -> PortMapping {
        PortMapping {
            container_port: None,
            container_port_range: Some(r.into()),
            ..port(0, None)
        }
    }

    /// The definition of a clash, pair by pair (what the rule computed before it was made
    /// n log n): the reference for [`first_clashes`].
    fn first_clashes_pairwise(bs: &[Binding]) -> Vec<Option<usize>> {
        (0..bs.len())
            .map(|k| {
                let b = &bs[k];
                bs[..k].iter().position(|a| {
                    a.protocol == b.protocol
                        && a.lo <= b.hi
                        && b.lo <= a.hi
                        && !(a.container == b.container && (a.is_range || b.is_range))
                })
            })
            .collect()
    }

    #[test]
    fn first_clashes_agree_with_the_pairwise_definition() {
        // A small deterministic generator: many seeds, few ports, so clashes of every kind
        // (points, ranges, same and other containers, two protocols) are common.
        let mut next = crate::diagnostics::test_numbers(0x2545_f491_4f6c_dd1du64);
        let mut compared = 0;
        for _ in 0..2_000 {
            let len = next(40) as usize;
            let mut container = 0;
            let bs: Vec<Binding> = (0..len)
                .map(|mapping| {
                    if next(4) == 0 {
                        container += 1;
                    }
                    let lo = next(30) as i64 + 1;
                    let is_range = next(3) == 0;
                    let hi = if is_range { lo + next(6) as i64 } else { lo };
                    Binding {
                        container,
                        mapping,
                        lo,
                        hi,
                        protocol: if next(5) == 0 { "udp" } else { "tcp" },
                        is_range,
                        attribute: "",
                    }
                })
                .collect();
            let want = first_clashes_pairwise(&bs);
            compared += want.iter().filter(|c| c.is_some()).count();
            assert_eq!(first_clashes(&bs), want);
        }
        assert!(compared > 10_000, "the inputs clash too rarely: {compared}");
    }

    #[test]
    fn two_hundred_thousand_mappings_are_checked_in_n_log_n() {
        // Pair by pair this took minutes (8k mappings 0.9 s, 32k 5 s, 200k over 120 s): all
        // distinct static host ports, so every mapping was compared with every earlier one.
        // Now it finishes within the test's normal time, and still finds the one clash.
        let n = 200_000i64;
        let mut a: Vec<PortMapping> = (1..=n / 2).map(|i| port(80, Some(i))).collect();
        let mut b: Vec<PortMapping> = (n / 2 + 1..=n).map(|i| port(80, Some(i))).collect();
        a.push(udp(80, Some(7)));
        b.push(port(80, Some(n / 2)));
        let d = run(
            NetworkMode::Bridge,
            vec![container("a", a), container("b", b)],
        );
        assert_eq!(
            d.len(),
            1,
            "{:?}",
            d.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        assert!(
            d[0].message.contains("TCP host port 100000"),
            "{}",
            d[0].message
        );
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[1].portMappings[100000].hostPort")
        );
    }

    #[test]
    fn fires_across_containers_in_awsvpc() {
        let d = run(
            NetworkMode::Awsvpc,
            vec![
                container("api", vec![port(8080, None)]),
                container("proxy", vec![port(8080, Some(8080))]),
            ],
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[1].portMappings[0].containerPort")
        );
        assert!(
            d[0].message.contains("TCP host port 8080"),
            "{}",
            d[0].message
        );
        assert!(d[0].message.contains("'api'") && d[0].message.contains("'proxy'"));
    }

    #[test]
    fn fires_on_static_bridge_ports_and_awsvpc_ranges() {
        let d = run(
            NetworkMode::Bridge,
            vec![
                container("a", vec![port(80, Some(8080))]),
                container("b", vec![port(81, Some(8080))]),
            ],
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("container_definitions[1].portMappings[0].hostPort")
        );

        let d = run(
            NetworkMode::Awsvpc,
            vec![
                container("a", vec![range("8000-8100")]),
                container("b", vec![port(8050, None)]),
            ],
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("overlap"), "{}", d[0].message);
    }

    #[test]
    fn passes_dynamic_bridge_other_protocol_and_distinct_ports() {
        assert!(run(
            NetworkMode::Bridge,
            vec![
                container("a", vec![port(80, None), port(80, Some(0))]),
                container("b", vec![port(80, None)])
            ],
        )
        .is_empty());
        assert!(run(
            NetworkMode::Host,
            vec![
                container("a", vec![port(53, None)]),
                container("b", vec![udp(53, None)])
            ]
        )
        .is_empty());
        assert!(run(
            NetworkMode::Awsvpc,
            vec![container("a", vec![port(80, None), port(443, None)])]
        )
        .is_empty());
        // Same-container range overlaps are NET016's.
        assert!(run(
            NetworkMode::Awsvpc,
            vec![container("a", vec![range("10-20"), port(15, None)])]
        )
        .is_empty());
    }

    #[test]
    fn unknown_containers_give_one_info_for_bridge() {
        let mut td = task_definition("aws_ecs_task_definition.a", NetworkMode::Bridge);
        td.containers = Field::unknown();
        let mut awsvpc = task_definition("aws_ecs_task_definition.b", NetworkMode::Awsvpc);
        awsvpc.containers = Field::unknown();
        let model = Model {
            task_definitions: vec![td, awsvpc],
            ..Default::default()
        };
        let d = run_rule(&DuplicateHostPort, &model, &Assumptions::default());
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
        assert_eq!(d[0].address, "aws_ecs_task_definition.a");
    }
}
