//! `ecsnet instance-type` (placeholder until its owner fills it in).

use crate::error::Result;

/// Placeholder.
#[derive(Debug, clap::Args)]
pub struct InstanceTypeArgs {}

pub fn run(_args: InstanceTypeArgs) -> Result<u8> {
    Err(crate::error::UserError::new("not built yet"))
}
