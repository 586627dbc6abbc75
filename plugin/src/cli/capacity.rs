//! `ecsnet capacity` (placeholder until its owner fills it in).

use crate::error::Result;

/// Placeholder.
#[derive(Debug, clap::Args)]
pub struct CapacityArgs {}

pub fn run(_args: CapacityArgs) -> Result<u8> {
    Err(crate::error::UserError::new("not built yet"))
}
