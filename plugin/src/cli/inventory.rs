//! `ecsnet inventory` (placeholder until its owner fills it in).

use crate::error::Result;

/// Placeholder.
#[derive(Debug, clap::Args)]
pub struct InventoryArgs {}

pub fn run(_args: InventoryArgs) -> Result<u8> {
    Err(crate::error::UserError::new("not built yet"))
}
