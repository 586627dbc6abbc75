//! `ecsnet inventory`: show what ecsnet found in the plans and how it linked it, so a user
//! can see why a rule did or did not fire.

use std::path::PathBuf;

use super::common::{emit, warn_errored, Inputs, PlanSource};
use crate::error::Result;
use crate::report::inventory;

const EXAMPLES: &str = "\
Examples:
  # What does this plan contain, cluster by cluster?
  terraform show -json tfplan > plan.json && ecsnet inventory plan.json

  # Machine-readable, e.g. to see how a service's subnets were resolved
  ecsnet inventory plan.json --format json | jq '.services[] | {address, subnets: .network_configuration.subnets}'

  # Several plans (e.g. network and services stacks) are linked together
  ecsnet inventory network.json services.json

Links say how they were found: a known value (ARN, id, name, family), a configuration
reference (followed through module variables and outputs), ECS_CLUSTER in user data, an
`assume` block in .ecsnet.hcl, or outside the plan. Sensitive values print as (sensitive).
The JSON schema is described in docs/inventory-schema.md.

Exit codes: 0 success, 2 bad input, configuration or usage.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InventoryFormat {
    /// A tree per cluster: services, task definitions, capacity, subnets.
    Text,
    /// Every entity with its address and links (docs/inventory-schema.md).
    Json,
}

/// List the ECS services, task definitions, clusters, capacity and subnets found in plans, and how they are linked.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct InventoryArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = InventoryFormat::Text)]
    pub format: InventoryFormat,

    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Configuration file whose `assume` blocks add capacity outside the plan [default: .ecsnet.hcl when present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    // PLAN... and --terraform-bin, as in every command that reads plans.
    #[command(flatten)]
    pub source: PlanSource,
}

pub fn run(args: InventoryArgs) -> Result<u8> {
    let Inputs {
        config,
        plans,
        sources,
    } = Inputs::load(
        &args.source,
        args.config.as_deref(),
        args.output.as_deref().as_slice(),
    )?;
    warn_errored(&plans);
    // Links the Terraform sources settle show as `source`.
    let overlaid = crate::plan::overlay::apply_all(&plans, &sources);
    let model = crate::model::build(overlaid.plans.as_deref().unwrap_or(&plans), &config.assume);
    for note in &overlaid.notes {
        eprintln!("note: {note}");
    }
    let text = match args.format {
        InventoryFormat::Text => inventory::render_text(&model),
        InventoryFormat::Json => inventory::render_json(&model),
    };
    emit(args.output.as_deref(), &text)?;
    Ok(crate::error::exit::OK)
}
