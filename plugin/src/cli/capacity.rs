//! `ecsnet capacity`: demand against capacity, per cluster and service (ENI slots, static
//! host ports) and per subnet (IPv4 addresses), with the arithmetic the rules use.

use std::path::PathBuf;

use serde::Serialize;

use super::common::{emit, Inputs, PlanSource};
use crate::capacity::{self, compare, Analysis, Bound, Need, SubnetKey, SubnetPhase, Verdict};
use crate::error::{Result, UserError};
use crate::model::Launch;

const EXAMPLES: &str = "\
Examples:
  # Will the tasks fit? ENI slots, static host ports and subnet addresses per cluster
  terraform show -json tfplan > plan.json && ecsnet capacity plan.json

  # Tell ecsnet what the plan cannot show (.ecsnet.hcl):
  #   assume {
  #     awsvpc_trunking = true
  #     cluster \"prod\" { instance_type = \"c5.large\", max_instances = 4 }
  #     subnet \"subnet-0abc\" { cidr_block = \"10.0.1.0/24\" }
  #   }
  ecsnet capacity plan.json --config .ecsnet.hcl

  # Machine-readable (version 2): counts are {\"lo\": n, \"hi\": n}; hi null = unbounded
  ecsnet capacity plan.json --format json | jq '.clusters[] | {cluster, eni}'

How the numbers are made:
  ENI slots per instance = max ENIs of the type - 1 (all network cards), or the ECS
  trunking table's value when awsvpcTrunking applies (not for Windows tasks, nor with
  resource-name DNS A records), minus one per awsvpc DAEMON service; a mixed-instances group
  counts as its smallest type; groups count at max_size.
  Pools: a service with a capacity provider strategy (its own, else the cluster's default)
  runs only on its providers' groups, each with its share by base and weight; one without
  runs on any instance of the cluster.
  Deployments (rolling): ECS may stop old tasks down to minimum_healthy_percent first, so a
  deployment needs room for ceil(desired x minimum_healthy_percent / 100) + 1 of its tasks
  next to the others' desired tasks (ROOM); its peak, floor(desired x maximum_percent / 100)
  (default 200, x2 for blue/green), need not fit instance capacity. Subnets must hold each
  service's peak next to the others' desired tasks (all deploying at once: a warning).
  Subnet usable = 2^(32 - prefix) - 5. A range such as \"6 to 30\" means an input is unknown
  (here: whether awsvpcTrunking is enabled); \"unknown\" lists what to supply.
  `ecsnet instance-type c5.large` shows the facts for one type.

Exit codes: 0 success, 2 bad input, configuration or usage.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CapacityFormat {
    /// Tables per cluster and subnet.
    Text,
    /// The same numbers as JSON (version 2; docs/schemas/capacity.schema.json).
    Json,
}

/// Show awsvpc ENI slots, static host ports and subnet IPv4 addresses against the tasks that need them.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct CapacityArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = CapacityFormat::Text)]
    pub format: CapacityFormat,

    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Configuration file whose `assume` blocks supply what the plan cannot show [default: .ecsnet.hcl when present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    // PLAN... and --terraform-bin, as in every command that reads plans.
    #[command(flatten)]
    pub source: PlanSource,
}

pub fn run(args: CapacityArgs) -> Result<u8> {
    let Inputs { config, plans, .. } = Inputs::load(
        &args.source,
        args.config.as_deref(),
        args.output.as_deref().as_slice(),
    )?;
    let model = crate::model::build(&plans, &config.assume);
    let analysis = capacity::analyze(&model, &config.assume);
    let mut report = build_report(&analysis);
    report.plans = plans.iter().map(|p| p.name.clone()).collect();
    let text = match args.format {
        CapacityFormat::Text => render_text(&report),
        CapacityFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report)
                .map_err(|e| UserError::new(format!("cannot encode JSON: {e}")))?;
            s.push('\n');
            s
        }
    };
    emit(args.output.as_deref(), &text)?;
    Ok(crate::error::exit::OK)
}

/// Version of the `capacity --format json` document.
pub const CAPACITY_VERSION: u32 = 2;

/// The JSON document (also what the text tables are drawn from).
#[derive(Debug, Serialize)]
pub struct CapacityReport {
    /// Document version, the key every ecsnet JSON output carries. 2: renamed from
    /// `schema_version`.
    pub version: u32,
    pub awsvpc_trunking: String,
    /// The plans read, in command-line order; `plan` fields index into it.
    pub plans: Vec<String>,
    pub clusters: Vec<ClusterOut>,
    pub subnets: Vec<SubnetOut>,
    /// Services whose cluster is unknown at plan time.
    pub unplaced_services: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ClusterOut {
    pub cluster: String,
    pub plan: usize,
    /// Some service may run on container instances (EC2); false for Fargate-only clusters.
    pub uses_instances: bool,
    pub instances: Bound,
    pub eni_slots: Bound,
    pub eni_slots_without_trunking: Bound,
    pub eni_slots_with_trunking: Bound,
    /// One line per capacity source, with the arithmetic.
    pub capacity: Vec<String>,
    /// Plan sources an `assume cluster` block replaces.
    pub replaced_by_assumption: Vec<String>,
    pub awsvpc_daemons: Vec<String>,
    pub services: Vec<ServiceOut>,
    /// The whole cluster (pool 0).
    pub eni: Totals,
    /// Every pool: the whole cluster first, then each capacity provider.
    pub pools: Vec<PoolOut>,
    pub static_ports: Vec<PortOut>,
    pub missing: Vec<capacity::Missing>,
}

#[derive(Debug, Serialize)]
pub struct ServiceOut {
    pub address: String,
    pub launch: Option<&'static str>,
    pub network_mode: Option<String>,
    pub scheduling: &'static str,
    pub desired: Option<u64>,
    pub peak: Option<u64>,
    pub peak_why: Option<String>,
    /// Tasks a rolling deployment needs room for at once (ceil(desired × min% / 100) + 1).
    pub room: Option<u64>,
    /// Where the tasks go: "cluster", or the providers with their shares.
    pub placement: String,
    /// "yes", "no", "unknown", or "1 per instance" (awsvpc daemons): does each task take an
    /// ENI on the cluster's instances?
    pub takes_eni: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Totals {
    pub desired: Bound,
    pub desired_why: String,
    pub capacity: Bound,
    pub desired_verdict: Verdict,
    /// The largest single-service deployment peak (others at desired). Informational: a
    /// rolling deployment whose peak does not fit still progresses if `deploy` fits.
    pub peak: Bound,
    pub peak_why: String,
    pub peak_verdict: Verdict,
    /// The largest room a rolling deployment needs to make progress (its ROOM tasks, the
    /// others at desired).
    pub deploy: Bound,
    pub deploy_why: String,
    pub deploy_verdict: Verdict,
}

#[derive(Debug, Serialize)]
pub struct PoolOut {
    pub pool: String,
    /// The capacity provider (provider pools only).
    pub provider: Option<String>,
    pub instances: Bound,
    pub eni_slots: Bound,
    pub eni: Totals,
}

#[derive(Debug, Serialize)]
pub struct PortOut {
    /// `null` when the container definitions are sensitive.
    pub port: Option<i64>,
    pub protocol: String,
    pub services: Vec<String>,
    pub daemons: Vec<String>,
    pub tasks_desired: Bound,
    pub instances_available: Bound,
    pub verdict: Verdict,
}

#[derive(Debug, Serialize)]
pub struct SubnetOut {
    /// The address in the plan (or the id outside it), as findings name it.
    pub subnet: String,
    /// The plan holding the subnet, as for clusters; `null` for a subnet outside the plan,
    /// whose demand adds up over every plan naming it.
    pub plan: Option<usize>,
    pub ipv6_only: bool,
    pub usable: Option<u64>,
    pub usable_why: String,
    pub desired: Bound,
    /// Every service in the subnet at its peak at once.
    pub peak: Bound,
    pub peak_why: String,
    /// The largest single service's peak next to the others' desired tasks.
    pub one_deploying: Bound,
    pub one_deploying_why: String,
    /// Of `one_deploying` (an error when exceeded).
    pub verdict: Verdict,
    /// Of `peak` (a warning when only this is exceeded).
    pub all_deploying_verdict: Verdict,
}

fn launch_str(l: Option<Launch>) -> Option<&'static str> {
    l.map(|l| match l {
        Launch::Fargate => "FARGATE",
        Launch::Ec2 => "EC2",
        Launch::External => "EXTERNAL",
        Launch::ManagedInstances => "MANAGED_INSTANCES",
    })
}

/// The largest need among `needs` (by upper bound, then lower).
fn largest(needs: impl Iterator<Item = Need>) -> Option<Need> {
    needs.max_by_key(|n| (n.total.hi.unwrap_or(u64::MAX), n.total.lo))
}

/// Desired, peak and deployment room of one pool.
fn totals(a: &Analysis, c: &capacity::ClusterReport, pool: usize) -> Totals {
    let slots = c.pools[pool].slots;
    let need = a.eni_need(c, pool, None);
    let on_pool: Vec<usize> = c
        .services
        .iter()
        .copied()
        .filter(|&i| a.services[i].eni_on_instances != capacity::Involved::No)
        .filter(|&i| pool == 0 || a.pools_of(i).contains(&pool))
        .collect();
    let peak = largest(
        on_pool
            .iter()
            .map(|&i| a.eni_need(c, pool, Some(&a.peak(i)))),
    )
    .unwrap_or_else(|| need.clone());
    let rolling = on_pool.iter().filter(|&&i| {
        let d = &a.services[i];
        !d.daemon && d.deploy == capacity::DeployKind::Rolling
    });
    let deploy = largest(rolling.map(|&i| a.eni_need(c, pool, Some(&a.progress(i)))))
        .unwrap_or_else(|| need.clone());
    Totals {
        desired: need.total,
        desired_why: need.why,
        capacity: slots,
        desired_verdict: compare(need.total, slots),
        peak: peak.total,
        peak_why: peak.why,
        peak_verdict: compare(peak.total, slots),
        deploy: deploy.total,
        deploy_why: deploy.why,
        deploy_verdict: compare(deploy.total, slots),
    }
}

fn placement_words(p: &capacity::Placement) -> String {
    match p {
        capacity::Placement::Cluster => "cluster".into(),
        capacity::Placement::Unknown { .. } => "unknown".into(),
        capacity::Placement::Providers { shares, .. } => shares
            .iter()
            .map(|s| match (s.base, s.weight) {
                _ if s.sensitive => format!("{} (weight {})", s.name, crate::model::SENSITIVE),
                (Some(b), Some(w)) if b > 0 => format!("{} (base {b}, weight {w})", s.name),
                (Some(_), Some(w)) => format!("{} (weight {w})", s.name),
                _ => format!("{} (weight unknown)", s.name),
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

pub fn build_report(a: &Analysis) -> CapacityReport {
    let clusters = a
        .clusters
        .iter()
        .map(|c| {
            let services = c
                .services
                .iter()
                .map(|&i| {
                    let d = &a.services[i];
                    ServiceOut {
                        address: d.address.clone(),
                        launch: launch_str(d.launch),
                        network_mode: d.mode.as_ref().map(|m| m.as_str().to_string()),
                        scheduling: if d.daemon { "DAEMON" } else { "REPLICA" },
                        desired: if d.daemon {
                            None
                        } else {
                            d.desired.as_ref().ok().map(|c| c.n)
                        },
                        peak: if d.daemon {
                            None
                        } else {
                            d.peak.as_ref().ok().map(|c| c.n)
                        },
                        peak_why: if d.daemon {
                            Some("one task per instance".into())
                        } else {
                            d.peak.as_ref().ok().map(|c| c.why.clone())
                        },
                        room: if d.daemon || d.deploy != capacity::DeployKind::Rolling {
                            None
                        } else {
                            d.progress().ok().map(|c| c.n)
                        },
                        placement: placement_words(&a.placements[i]),
                        takes_eni: match &d.eni_on_instances {
                            _ if d.daemon
                                && c.capacity.daemons.awsvpc_services.contains(&d.address) =>
                            {
                                "1 per instance"
                            }
                            capacity::Involved::Yes => "yes",
                            capacity::Involved::No => "no",
                            capacity::Involved::Maybe(_) => "unknown",
                        },
                    }
                })
                .collect();
            let need = a.eni_need(c, 0, None);
            let instances = c.pools[0].instances;
            let static_ports = c
                .ports
                .iter()
                .map(|p| {
                    let avail = p.available(instances);
                    PortOut {
                        port: (!p.sensitive).then_some(p.port.port),
                        protocol: p.port.protocol.clone(),
                        services: p
                            .services
                            .iter()
                            .map(|&i| a.services[i].address.clone())
                            .collect(),
                        daemons: p
                            .daemons
                            .iter()
                            .map(|&i| a.services[i].address.clone())
                            .collect(),
                        tasks_desired: p.desired,
                        instances_available: avail,
                        verdict: compare(p.desired, avail),
                    }
                })
                .collect();
            let uses_instances = c
                .services
                .iter()
                .any(|&i| a.services[i].on_instances != capacity::Involved::No);
            let mut missing = if uses_instances {
                c.capacity.missing.clone()
            } else {
                Vec::new()
            };
            missing.extend(need.missing.clone());
            for (_, m) in &c.ports_unknown {
                missing.push(m.clone());
            }
            let pools = c
                .pools
                .iter()
                .enumerate()
                .map(|(k, p)| PoolOut {
                    pool: p.label.clone(),
                    provider: p.provider.clone(),
                    instances: p.instances,
                    eni_slots: p.slots,
                    eni: totals(a, c, k),
                })
                .collect();
            ClusterOut {
                cluster: c.label.clone(),
                plan: c.plan,
                uses_instances,
                instances,
                eni_slots: c.pools[0].slots,
                eni_slots_without_trunking: c.pools[0].slots_without_trunking,
                eni_slots_with_trunking: c.pools[0].slots_with_trunking,
                capacity: c
                    .capacity
                    .sources
                    .iter()
                    .map(|s| s.describe(&a.trunking, &c.capacity.daemons))
                    .collect(),
                replaced_by_assumption: c.capacity.replaced_by_assumption.clone(),
                awsvpc_daemons: c.capacity.daemons.awsvpc_services.clone(),
                services,
                eni: totals(a, c, 0),
                pools,
                static_ports,
                missing: dedup(missing),
            }
        })
        .collect();
    let subnets = a
        .subnets
        .values()
        .map(|s| {
            let one: &[SubnetKey] = std::slice::from_ref(&s.key);
            let desired = a.subnet_need(one, SubnetPhase::Steady);
            let peak = a.subnet_need(one, SubnetPhase::AllDeploying);
            let users = a.users_by_subnet.get(&s.key).map_or(&[][..], Vec::as_slice);
            // The largest by total (as `largest` picks), its arithmetic text only for it.
            let single = users
                .iter()
                .filter_map(|&u| a.subnet_users[u].service)
                .map(|i| (i, a.subnet_need_total(one, SubnetPhase::Deploying(i))))
                .max_by_key(|(_, t)| (t.hi.unwrap_or(u64::MAX), t.lo))
                .map(|(i, _)| a.subnet_need(one, SubnetPhase::Deploying(i)))
                .unwrap_or_else(|| desired.clone());
            let usable = s.usable_bound();
            let verdict = |b: Bound| {
                if s.ipv6_only {
                    Verdict::Fits
                } else {
                    compare(b, usable)
                }
            };
            SubnetOut {
                subnet: s.key.label().to_string(),
                plan: s.key.plan(),
                ipv6_only: s.ipv6_only,
                usable: s.usable.as_ref().ok().map(|c| c.n),
                usable_why: match &s.usable {
                    Ok(c) => c.why.clone(),
                    Err(m) => format!("unknown: {}; supply {}", m.what, m.supply),
                },
                desired: desired.total,
                verdict: verdict(single.total),
                all_deploying_verdict: verdict(peak.total),
                one_deploying: single.total,
                one_deploying_why: single.why,
                peak: peak.total,
                peak_why: peak.why,
            }
        })
        .collect();
    CapacityReport {
        version: CAPACITY_VERSION,
        awsvpc_trunking: a.trunking.describe(),
        plans: Vec::new(),
        clusters,
        subnets,
        unplaced_services: a
            .services
            .iter()
            .zip(&a.service_cluster)
            .filter(|(_, c)| c.is_err())
            .map(|(s, _)| s.address.clone())
            .collect(),
    }
}

fn dedup(v: Vec<capacity::Missing>) -> Vec<capacity::Missing> {
    let mut out: Vec<capacity::Missing> = Vec::new();
    for m in v {
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Fits => "fits",
        Verdict::Exceeds => "EXCEEDS",
        Verdict::Unverifiable => "unverifiable",
    }
}

fn opt(n: Option<u64>) -> String {
    n.map_or("-".to_string(), |n| n.to_string())
}

/// Left-aligned columns, two spaces apart.
fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::from("    ");
        for (c, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < r.len() {
                let pad = widths[c] - cell.chars().count() + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn render_text(r: &CapacityReport) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}\n", r.awsvpc_trunking));
    if r.clusters.is_empty() && r.subnets.is_empty() {
        out.push_str("\nNo ECS clusters, services or subnets found in the plan.\n");
        return out;
    }
    // With several plans (staging and prod of one configuration), the same address appears
    // once per plan: name the plan so the sections can be told apart.
    let in_plan = |plan: Option<usize>| match plan.and_then(|i| r.plans.get(i)) {
        Some(name) if r.plans.len() > 1 => format!(" (plan {name})"),
        _ => String::new(),
    };
    for c in &r.clusters {
        out.push_str(&format!(
            "\nCluster {}{}\n",
            c.cluster,
            in_plan(Some(c.plan))
        ));
        if c.capacity.is_empty() && !c.uses_instances {
            out.push_str("  No container instances found, and no service needs them.\n");
        } else {
            out.push_str(&format!(
            "  Capacity at max size: {} instances, {} awsvpc ENI slots ({} without trunking, {} with)\n",
            c.instances.show(),
            c.eni_slots.show(),
            c.eni_slots_without_trunking.show(),
            c.eni_slots_with_trunking.show()
            ));
        }
        for line in &c.capacity {
            out.push_str(&format!("    - {line}\n"));
        }
        if !c.replaced_by_assumption.is_empty() {
            out.push_str(&format!(
                "    (an assume cluster block replaces {} from the plan)\n",
                c.replaced_by_assumption.join(", ")
            ));
        }
        if !c.awsvpc_daemons.is_empty() {
            out.push_str(&format!(
                "  awsvpc daemons (one ENI slot on every instance): {}\n",
                c.awsvpc_daemons.join(", ")
            ));
        }
        if c.services.is_empty() {
            out.push_str("  No services.\n");
        } else {
            let mut rows = vec![vec![
                "SERVICE".to_string(),
                "LAUNCH".into(),
                "MODE".into(),
                "DESIRED".into(),
                "PEAK".into(),
                "ROOM".into(),
                "ENI".into(),
                "ON".into(),
            ]];
            for s in &c.services {
                let daemon = s.scheduling == "DAEMON";
                rows.push(vec![
                    s.address.clone(),
                    s.launch.unwrap_or("?").to_string(),
                    s.network_mode.clone().unwrap_or_else(|| "?".into()),
                    if daemon {
                        "daemon".into()
                    } else {
                        opt(s.desired)
                    },
                    if daemon { "-".into() } else { opt(s.peak) },
                    if daemon { "-".into() } else { opt(s.room) },
                    s.takes_eni.to_string(),
                    s.placement.clone(),
                ]);
            }
            out.push_str(&table(&rows));
            out.push_str("    (ROOM: the tasks a rolling deployment runs at once when it stops old tasks down to minimum_healthy_percent first; ON: the capacity providers its tasks go to, or any instance of the cluster)\n");
        }
        if c.uses_instances && !c.services.is_empty() {
            for p in &c.pools {
                let name = if p.provider.is_some() {
                    p.pool.clone()
                } else {
                    "the cluster".to_string()
                };
                if p.provider.is_some() {
                    out.push_str(&format!(
                        "  {}: {} instances, {} awsvpc ENI slots at max size\n",
                        p.pool,
                        p.instances.show(),
                        p.eni_slots.show()
                    ));
                }
                let t = &p.eni;
                let peak_word = match t.peak_verdict {
                    Verdict::Exceeds => "does not fit: ECS deploys in smaller batches",
                    v => verdict_word(v),
                };
                for (what, n, why, verdict) in [
                    (
                        "desired",
                        t.desired,
                        &t.desired_why,
                        verdict_word(t.desired_verdict),
                    ),
                    (
                        "deployment room",
                        t.deploy,
                        &t.deploy_why,
                        verdict_word(t.deploy_verdict),
                    ),
                    ("deployment peak", t.peak, &t.peak_why, peak_word),
                ] {
                    out.push_str(&format!(
                        "  ENI on {name}: {what} {} of {} slots ({why}): {verdict}\n",
                        n.show(),
                        t.capacity.show(),
                    ));
                }
            }
        }
        if !c.static_ports.is_empty() {
            out.push_str("  Static host ports:\n");
            let mut rows = vec![vec![
                "PORT".to_string(),
                "TASKS".into(),
                "INSTANCES".into(),
                "".into(),
                "USED BY".into(),
            ]];
            for p in &c.static_ports {
                let port = p.port.map_or("(sensitive)".to_string(), |n| n.to_string());
                let mut users = p.services.clone();
                users.extend(p.daemons.iter().map(|d| format!("{d} (daemon)")));
                rows.push(vec![
                    format!("{port}/{}", p.protocol),
                    p.tasks_desired.show(),
                    p.instances_available.show(),
                    verdict_word(p.verdict).to_string(),
                    users.join(", "),
                ]);
            }
            out.push_str(&table(&rows));
        }
        if !c.missing.is_empty() {
            out.push_str("  Unknown inputs:\n");
            for m in &c.missing {
                out.push_str(&format!("    - {}; supply {}\n", m.what, m.supply));
            }
        }
    }
    if !r.subnets.is_empty() {
        out.push_str("\nSubnets (IPv4 addresses: desired; one service deploying, the others at desired; all deploying at once)\n");
        let mut rows = vec![vec![
            "SUBNET".to_string(),
            "USABLE".into(),
            "DESIRED".into(),
            "DEPLOYING".into(),
            "".into(),
            "ALL".into(),
            "".into(),
            "HOW".into(),
        ]];
        for s in &r.subnets {
            rows.push(vec![
                format!("{}{}", s.subnet, in_plan(s.plan)),
                if s.ipv6_only {
                    "IPv6-only".into()
                } else {
                    opt(s.usable)
                },
                s.desired.show(),
                s.one_deploying.show(),
                verdict_word(s.verdict).to_string(),
                s.peak.show(),
                verdict_word(s.all_deploying_verdict).to_string(),
                format!("{} | {}", s.usable_why, s.one_deploying_why),
            ]);
        }
        out.push_str(&table(&rows));
    }
    if !r.unplaced_services.is_empty() {
        out.push_str(&format!(
            "\nServices whose cluster is unknown at plan time (not counted): {}\n",
            r.unplaced_services.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;

    #[test]
    fn text_shows_demand_against_slots() {
        let m = crate::capacity::testing::awsvpc_cluster(&["c5.large"], 3, 6, "10.0.1.0/28");
        let a = capacity::analyze(
            &m,
            &Assumptions {
                awsvpc_trunking: Some(false),
                ..Assumptions::default()
            },
        );
        let r = build_report(&a);
        let text = render_text(&r);
        assert!(
            text.contains("3 instances, 6 awsvpc ENI slots (6 without trunking, 30 with)"),
            "{text}"
        );
        assert!(
            text.contains("ENI on the cluster: desired 6 of 6 slots"),
            "{text}"
        );
        assert!(
            text.contains("ENI on the cluster: deployment room 7 of 6 slots"),
            "{text}"
        );
        assert!(
            text.contains("deployment peak 12 of 6 slots (aws_ecs_service.api peak desired 6 × maximum_percent 200% = 12): does not fit"),
            "{text}"
        );
        assert!(text.contains("EXCEEDS"), "{text}");
        assert!(text.contains("aws_subnet.a"), "{text}");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["version"], 2);
        assert_eq!(json["clusters"][0]["eni"]["peak"]["lo"], 12);
        assert_eq!(json["clusters"][0]["eni"]["deploy"]["lo"], 7);
        assert_eq!(json["clusters"][0]["pools"][0]["eni_slots"]["lo"], 6);
        assert_eq!(json["subnets"][0]["usable"], 11);
        assert_eq!(json["subnets"][0]["verdict"], "exceeds");
    }
}
