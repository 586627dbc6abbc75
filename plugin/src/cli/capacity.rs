//! `ecsnet capacity`: demand against capacity, per cluster and service (ENI slots, static
//! host ports) and per subnet (IPv4 addresses), with the arithmetic the rules use.

use std::path::PathBuf;

use serde::Serialize;

use super::common::{emit, Inputs, PlanSource};
use crate::capacity::{self, compare, Analysis, Bound, Phase, SubnetKey, Verdict};
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

  # Machine-readable (schema_version 1): counts are {\"lo\": n, \"hi\": n}; hi null = unbounded
  ecsnet capacity plan.json --format json | jq '.clusters[] | {cluster, eni}'

How the numbers are made:
  ENI slots per instance = max ENIs of the type - 1 (all network cards), or the ECS
  trunking table's value when awsvpcTrunking applies, minus one per awsvpc DAEMON service;
  a mixed-instances group counts as its smallest type; groups count at max_size.
  Deployment peak = floor(desired x maximum_percent / 100) (default 200), x2 for blue/green.
  Subnet usable = 2^(32 - prefix) - 5. A range such as \"6 to 30\" means an input is unknown
  (here: whether awsvpcTrunking is enabled); \"unknown\" lists what to supply.
  `ecsnet instance-type c5.large` shows the facts for one type.

Exit codes: 0 success, 2 bad input, configuration or usage.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CapacityFormat {
    /// Tables per cluster and subnet.
    Text,
    /// The same numbers as JSON (schema_version 1).
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
    let Inputs { config, plans, .. } =
        Inputs::load(&args.source, args.config.as_deref(), args.output.as_deref())?;
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

/// The JSON document (also what the text tables are drawn from).
#[derive(Debug, Serialize)]
pub struct CapacityReport {
    pub schema_version: u32,
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
    pub eni: Totals,
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
    /// The largest single-service deployment peak (others at desired).
    pub peak: Bound,
    pub peak_why: String,
    pub peak_verdict: Verdict,
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
    pub peak: Bound,
    pub peak_why: String,
    pub verdict: Verdict,
}

fn launch_str(l: Option<Launch>) -> Option<&'static str> {
    l.map(|l| match l {
        Launch::Fargate => "FARGATE",
        Launch::Ec2 => "EC2",
        Launch::External => "EXTERNAL",
        Launch::ManagedInstances => "MANAGED_INSTANCES",
    })
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
            let need = a.eni_need(c, None);
            // The worst single deployment: each service at its peak in turn, others at desired.
            let peak = c
                .services
                .iter()
                .filter(|&&i| a.services[i].eni_on_instances != capacity::Involved::No)
                .map(|&i| a.eni_need(c, Some((i, Phase::Peak))))
                .max_by_key(|p| (p.total.hi.unwrap_or(u64::MAX), p.total.lo))
                .unwrap_or_else(|| a.eni_need(c, None));
            let instances = c.capacity.instances;
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
            ClusterOut {
                cluster: c.label.clone(),
                plan: c.plan,
                uses_instances,
                instances,
                eni_slots: c.capacity.slots,
                eni_slots_without_trunking: c.capacity.slots_without_trunking,
                eni_slots_with_trunking: c.capacity.slots_with_trunking,
                capacity: c
                    .capacity
                    .sources
                    .iter()
                    .map(|s| s.describe(&a.trunking, &c.capacity.daemons))
                    .collect(),
                replaced_by_assumption: c.capacity.replaced_by_assumption.clone(),
                awsvpc_daemons: c.capacity.daemons.awsvpc_services.clone(),
                services,
                eni: Totals {
                    desired: need.total,
                    desired_why: need.why,
                    capacity: c.capacity.slots,
                    desired_verdict: compare(need.total, c.capacity.slots),
                    peak: peak.total,
                    peak_why: peak.why,
                    peak_verdict: compare(peak.total, c.capacity.slots),
                },
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
            let desired = a.subnet_need(one, Phase::Desired);
            let peak = a.subnet_need(one, Phase::Peak);
            let usable = s.usable_bound();
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
                peak: peak.total,
                peak_why: peak.why,
                verdict: if s.ipv6_only {
                    Verdict::Fits
                } else {
                    compare(peak.total, usable)
                },
            }
        })
        .collect();
    CapacityReport {
        schema_version: 1,
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
                "ENI".into(),
            ]];
            for s in &c.services {
                rows.push(vec![
                    s.address.clone(),
                    s.launch.unwrap_or("?").to_string(),
                    s.network_mode.clone().unwrap_or_else(|| "?".into()),
                    if s.scheduling == "DAEMON" {
                        "daemon".into()
                    } else {
                        opt(s.desired)
                    },
                    if s.scheduling == "DAEMON" {
                        "-".into()
                    } else {
                        opt(s.peak)
                    },
                    s.takes_eni.to_string(),
                ]);
            }
            out.push_str(&table(&rows));
        }
        if c.uses_instances && !c.services.is_empty() {
            out.push_str(&format!(
                "  ENI: desired {} of {} slots ({}): {}\n",
                c.eni.desired.show(),
                c.eni.capacity.show(),
                c.eni.desired_why,
                verdict_word(c.eni.desired_verdict)
            ));
            out.push_str(&format!(
                "  ENI: deployment peak {} of {} slots ({}): {}\n",
                c.eni.peak.show(),
                c.eni.capacity.show(),
                c.eni.peak_why,
                verdict_word(c.eni.peak_verdict)
            ));
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
        out.push_str("\nSubnets (IPv4 addresses; demand at the deployment peak)\n");
        let mut rows = vec![vec![
            "SUBNET".to_string(),
            "USABLE".into(),
            "DESIRED".into(),
            "PEAK".into(),
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
                s.peak.show(),
                verdict_word(s.verdict).to_string(),
                format!("{} | {}", s.usable_why, s.peak_why),
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
        assert!(text.contains("ENI: desired 6 of 6 slots"), "{text}");
        assert!(
            text.contains("ENI: deployment peak 12 of 6 slots"),
            "{text}"
        );
        assert!(text.contains("EXCEEDS"), "{text}");
        assert!(text.contains("aws_subnet.a"), "{text}");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["schema_version"], 1);
        assert_eq!(json["clusters"][0]["eni"]["peak"]["lo"], 12);
        assert_eq!(json["subnets"][0]["usable"], 11);
        assert_eq!(json["subnets"][0]["verdict"], "exceeds");
    }
}
