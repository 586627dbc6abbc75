//! `ecsnet explain` (placeholder until its owner fills it in).

use crate::error::Result;

/// Placeholder.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {}

pub fn run(_args: ExplainArgs) -> Result<u8> {
    Err(crate::error::UserError::new("not built yet"))
}
