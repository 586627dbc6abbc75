//! `ecsnet serve` (placeholder until its owner fills it in).

use crate::error::Result;

/// Placeholder.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

pub fn run(_args: ServeArgs) -> Result<u8> {
    Err(crate::error::UserError::new("not built yet"))
}

/// `Some(exit code)` when the process was launched by a go-plugin host (magic cookie set)
/// and has finished serving; `None` to continue with the CLI.
pub fn launched_as_plugin() -> Option<std::process::ExitCode> {
    None
}
