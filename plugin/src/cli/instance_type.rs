//! `ecsnet instance-type TYPE`: the ENI and trunking facts ecsnet uses for one type.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use super::common::{load_config, print_stdout};
use crate::error::{Result, UserError};
use crate::instances::{self, Catalog, Edition, InstanceFacts, Trunking, TRUNKING_DOC_URL};

const EXAMPLES: &str = "\
Examples:
  # How many awsvpc tasks fit on a c5.large, with and without ENI trunking?
  ecsnet instance-type c5.large

  # Machine-readable
  ecsnet instance-type p4d.24xlarge --format json

  # With the instance_type blocks of another configuration file
  ecsnet instance-type c7i.large --config ci/.ecsnet.hcl

awsvpc tasks without trunking = the type's ENIs (all network cards) - 1 for the primary
interface (p5.48xlarge: at most 1, as the ECS guide says). With the awsvpcTrunking account
setting, the ECS table's limit applies when the type supports trunking. The table is the
ECS documentation of 2023-04-18: a type newer than it is reported as unknown; a type that
existed then but has no row, and the burstable t2/t3/t3a/t4g, as not supported. Every fact
names its source. `instance_type \"NAME\" { max_enis = 4 }` blocks in .ecsnet.hcl (the working
directory's, or --config FILE) change or add facts, and are shown here as they apply.

Exit codes: 0 success, 2 unknown instance type or bad usage.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InstanceTypeFormat {
    Text,
    Json,
}

/// Show the ENI limits and ENI-trunking facts ecsnet uses for an EC2 instance type.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct InstanceTypeArgs {
    /// EC2 instance type, e.g. c5.large.
    #[arg(value_name = "TYPE")]
    pub instance_type: String,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = InstanceTypeFormat::Text)]
    pub format: InstanceTypeFormat,

    /// Configuration file whose instance_type blocks apply [default: .ecsnet.hcl in the working directory, when present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
struct Out<'a> {
    /// 2: the key renamed from `schema_version`, as in every ecsnet JSON output.
    version: u32,
    #[serde(flatten)]
    facts: &'a InstanceFacts,
    awsvpc_tasks_without_trunking: u32,
    awsvpc_tasks_with_trunking: Option<u32>,
    trunking_doc: &'static str,
    data_editions: Vec<Edition>,
}

pub fn run(args: InstanceTypeArgs) -> Result<u8> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config = load_config(args.config.as_deref(), &cwd)?;
    let f = lookup(&config.assume.instances, &args.instance_type)?;
    let f = &*f;
    let text = match args.format {
        InstanceTypeFormat::Text => render_text(f),
        InstanceTypeFormat::Json => {
            let out = Out {
                version: 2,
                facts: f,
                awsvpc_tasks_without_trunking: f.awsvpc_slots_without_trunking(),
                awsvpc_tasks_with_trunking: f.trunking.tasks_with(),
                trunking_doc: TRUNKING_DOC_URL,
                data_editions: instances::editions(),
            };
            let mut s = serde_json::to_string_pretty(&out)
                .map_err(|e| UserError::new(format!("cannot encode JSON: {e}")))?;
            s.push('\n');
            s
        }
    };
    print_stdout(&text)?;
    Ok(crate::error::exit::OK)
}

fn lookup(catalog: &Catalog, name: &str) -> Result<Arc<InstanceFacts>> {
    catalog.lookup(name).ok_or_else(|| {
        let hint = catalog.suggest(name, 3);
        let shown: String = name.chars().take(64).collect();
        UserError::new(format!(
            "unknown instance type {shown:?}: not among the {} EC2 types ecsnet knows; {}",
            catalog.count(),
            if hint.is_empty() {
                format!(
                    "check the spelling (family.size, e.g. c5.large), or add its facts to .ecsnet.hcl: {}",
                    instances::override_example(name)
                )
            } else {
                format!("did you mean {}?", hint.join(", "))
            }
        ))
    })
}

fn render_text(f: &InstanceFacts) -> String {
    let mut s = format!("{}\n", f.instance_type);
    let row = |s: &mut String, k: &str, v: String| s.push_str(&format!("  {k:<34}{v}\n"));
    let not_stated = || "not stated".to_string();
    row(&mut s, "ENIs (all network cards):", f.max_enis.to_string());
    row(
        &mut s,
        "Network cards:",
        f.network_cards.as_ref().map_or_else(not_stated, |c| {
            if c.count > 1 {
                format!(
                    "{} ({} ENIs per card)",
                    c.count,
                    c.per_card_max_enis
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(" + ")
                )
            } else {
                c.count.to_string()
            }
        }),
    );
    row(
        &mut s,
        "IPv4 addresses per ENI:",
        f.ipv4_per_eni.map_or_else(not_stated, |v| v.to_string()),
    );
    row(
        &mut s,
        "IPv6 addresses per ENI:",
        f.ipv6_per_eni
            .map_or("not stated by the source".into(), |v| v.to_string()),
    );
    row(
        &mut s,
        "Hypervisor:",
        f.hypervisor
            .unwrap_or("not stated (bare metal or unknown)")
            .to_string(),
    );
    row(
        &mut s,
        "awsvpc tasks without trunking:",
        format!(
            "{} ({})",
            f.awsvpc_slots_without_trunking(),
            f.untrunked_arithmetic()
        ),
    );
    row(&mut s, "ENI trunking:", trunking_text(f));
    if let Some(at) = &f.overridden_at {
        row(
            &mut s,
            "Changed by:",
            format!("instance_type block at {at}"),
        );
    }
    s.push_str("  Sources:\n");
    s.push_str(&format!("    ENI limits:     {}\n", f.eni_source));
    if let Some(src) = f.network_cards.as_ref().and_then(|c| c.source) {
        s.push_str(&format!("    Network cards:  {src}\n"));
    }
    if let Some(l) = &f.awsvpc_task_limit {
        s.push_str(&format!("    awsvpc limit:   {}\n", l.source));
    }
    match &f.trunking {
        Trunking::Supported { source, .. } | Trunking::Unsupported { source, .. } => {
            s.push_str(&format!("    ENI trunking:   {source}\n"));
        }
        Trunking::Unknown { .. } => {}
    }
    s.push_str(&format!("    Documentation:  {TRUNKING_DOC_URL}\n"));
    s.push_str("  Data editions:\n");
    s.push_str(&instances::editions_text("    "));
    s
}

fn trunking_text(f: &InstanceFacts) -> String {
    match &f.trunking {
        Trunking::Supported {
            tasks_without,
            tasks_with,
            ..
        } => {
            let mut t = format!("supported: {tasks_with} awsvpc tasks with awsvpcTrunking");
            if *tasks_without != f.awsvpc_slots_without_trunking() {
                t.push_str(&format!(
                    " (the 2023 table says {tasks_without} without trunking; current EC2 data gives {})",
                    f.awsvpc_slots_without_trunking()
                ));
            }
            t
        }
        Trunking::Unsupported { reason, .. } => format!("not supported: {reason}"),
        Trunking::Unknown { reason } => format!("unknown: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_for_c5_large() {
        let t = render_text(&lookup(&Catalog::default(), "c5.large").unwrap());
        assert!(
            t.contains("awsvpc tasks without trunking:    2 (3 ENIs − 1 primary)"),
            "{t}"
        );
        assert!(
            t.contains("supported: 10 awsvpc tasks with awsvpcTrunking"),
            "{t}"
        );
        assert!(t.contains("getmoto/moto"), "{t}");
    }

    #[test]
    fn multi_card_and_unknown_types() {
        let c = Catalog::default();
        let t = render_text(&lookup(&c, "p4d.24xlarge").unwrap());
        assert!(t.contains("4 (15 + 15 + 15 + 15 ENIs per card)"), "{t}");
        assert!(t.contains("59 (60 ENIs − 1 primary)"), "{t}");
        let e = lookup(&c, "c5.larg").unwrap_err();
        assert!(e.message.contains("did you mean c5.large"), "{}", e.message);
        let e = lookup(&c, "").unwrap_err();
        assert!(
            e.message.starts_with("unknown instance type"),
            "{}",
            e.message
        );
    }

    #[test]
    fn text_shows_editions_limits_and_overrides() {
        let t = render_text(&lookup(&Catalog::default(), "p5.48xlarge").unwrap());
        assert!(
            t.contains(
                "1 (64 ENIs − 1 primary, but ECS runs at most 1 awsvpc task on a p5.48xlarge)"
            ),
            "{t}"
        );
        assert!(
            t.contains("awsvpc limit:   Amazon ECS Developer Guide"),
            "{t}"
        );
        assert!(
            t.contains(
                "ECS ENI trunking: ECS developer guide container-instance-eni.md, 2023-04-18"
            ),
            "{t}"
        );
        let cfg = crate::config::parse_str(
            "instance_type \"x9.mega\" {\n  max_enis = 5\n  awsvpc_tasks_trunked = 40\n  source = \"vendor sheet\"\n}\n",
            "ci.hcl",
        )
        .unwrap();
        let t = render_text(&lookup(&cfg.assume.instances, "x9.mega").unwrap());
        assert!(
            t.contains("awsvpc tasks without trunking:    4 (5 ENIs − 1 primary)"),
            "{t}"
        );
        assert!(t.contains("supported: 40 awsvpc tasks"), "{t}");
        assert!(t.contains("instance_type block at ci.hcl:1"), "{t}");
        assert!(t.contains("ENI limits:     vendor sheet (ci.hcl:1)"), "{t}");
        assert!(
            t.lines()
                .any(|l| l.contains("Network cards:") && l.ends_with("not stated")),
            "{t}"
        );
        let e = lookup(&Catalog::default(), "zzzzzzzzzzzzzzzz.q").unwrap_err();
        assert!(
            e.message
                .contains("instance_type \"zzzzzzzzzzzzzzzz.q\" { max_enis = 4 }"),
            "{}",
            e.message
        );
    }
}
