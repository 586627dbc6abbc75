//! `ecsnet check` (placeholder until its owner fills it in).

use crate::error::Result;

/// Placeholder.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {}

pub fn run(_args: CheckArgs) -> Result<u8> {
    Err(crate::error::UserError::new("not built yet"))
}
