//! `ecsnet instance-type TYPE`: the ENI and trunking facts ecsnet uses for one type.

use serde::Serialize;

use super::common::print_stdout;
use crate::error::{Result, UserError};
use crate::instances::{self, InstanceFacts, Trunking, TRUNKING_DOC_URL};

const EXAMPLES: &str = "\
Examples:
  # How many awsvpc tasks fit on a c5.large, with and without ENI trunking?
  ecsnet instance-type c5.large

  # Machine-readable
  ecsnet instance-type p4d.24xlarge --format json

awsvpc tasks without trunking = the type's ENIs (all network cards) - 1 for the primary
interface. With the awsvpcTrunking account setting, the ECS table's limit applies when the
type supports trunking. The table is the 2023 ECS documentation: a type it does not list is
reported as unknown, not unsupported. Every fact names its source.

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
}

#[derive(Debug, Serialize)]
struct Out<'a> {
    schema_version: u32,
    #[serde(flatten)]
    facts: &'a InstanceFacts,
    awsvpc_tasks_without_trunking: u32,
    awsvpc_tasks_with_trunking: Option<u32>,
    trunking_doc: &'static str,
}

pub fn run(args: InstanceTypeArgs) -> Result<u8> {
    let f = lookup(&args.instance_type)?;
    let text = match args.format {
        InstanceTypeFormat::Text => render_text(f),
        InstanceTypeFormat::Json => {
            let out = Out {
                schema_version: 1,
                facts: f,
                awsvpc_tasks_without_trunking: f.awsvpc_slots_without_trunking(),
                awsvpc_tasks_with_trunking: f.trunking.tasks_with(),
                trunking_doc: TRUNKING_DOC_URL,
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

fn lookup(name: &str) -> Result<&'static InstanceFacts> {
    instances::lookup(name).ok_or_else(|| {
        let hint = instances::suggest(name, 3);
        let shown: String = name.chars().take(64).collect();
        UserError::new(format!(
            "unknown instance type {shown:?}: not among the {} EC2 types ecsnet knows; {}",
            instances::count(),
            if hint.is_empty() {
                "check the spelling (family.size, e.g. c5.large)".to_string()
            } else {
                format!("did you mean {}?", hint.join(", "))
            }
        ))
    })
}

fn render_text(f: &InstanceFacts) -> String {
    let mut s = format!("{}\n", f.instance_type);
    let row = |s: &mut String, k: &str, v: String| s.push_str(&format!("  {k:<34}{v}\n"));
    row(&mut s, "ENIs (all network cards):", f.max_enis.to_string());
    if f.network_cards.count > 1 {
        row(
            &mut s,
            "Network cards:",
            format!(
                "{} ({} ENIs per card)",
                f.network_cards.count,
                f.network_cards
                    .per_card_max_enis
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(" + ")
            ),
        );
    } else {
        row(&mut s, "Network cards:", "1".into());
    }
    row(
        &mut s,
        "IPv4 addresses per ENI:",
        f.ipv4_per_eni.to_string(),
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
            "{} ({} ENIs − 1 primary)",
            f.awsvpc_slots_without_trunking(),
            f.max_enis
        ),
    );
    let trunk = match &f.trunking {
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
    };
    row(&mut s, "ENI trunking:", trunk);
    s.push_str("  Sources:\n");
    s.push_str(&format!("    ENI limits:     {}\n", f.eni_source));
    if let Some(src) = f.network_cards.source {
        s.push_str(&format!("    Network cards:  {src}\n"));
    }
    match &f.trunking {
        Trunking::Supported { source, .. } | Trunking::Unsupported { source, .. } => {
            s.push_str(&format!("    ENI trunking:   {source}\n"));
        }
        Trunking::Unknown { .. } => {}
    }
    s.push_str(&format!("    Documentation:  {TRUNKING_DOC_URL}\n"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_for_c5_large() {
        let t = render_text(lookup("c5.large").unwrap());
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
        let t = render_text(lookup("p4d.24xlarge").unwrap());
        assert!(t.contains("4 (15 + 15 + 15 + 15 ENIs per card)"), "{t}");
        assert!(t.contains("59 (60 ENIs − 1 primary)"), "{t}");
        let e = lookup("c5.larg").unwrap_err();
        assert!(e.message.contains("did you mean c5.large"), "{}", e.message);
        let e = lookup("").unwrap_err();
        assert!(
            e.message.starts_with("unknown instance type"),
            "{}",
            e.message
        );
    }
}
