//! `ecsnet rules-cmd` (placeholder until its owner fills it in).

use crate::error::Result;

/// Placeholder.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {}

pub fn run(_args: RulesArgs) -> Result<u8> {
    Err(crate::error::UserError::new("not built yet"))
}
