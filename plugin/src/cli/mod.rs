//! The `ecsnet` command line. Each subcommand lives in its own file with a clap `Args`
//! struct and a `run` function returning the process exit code.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::exit;

mod capacity;
mod check;
mod common;
mod explain;
mod instance_type;
mod inventory;
mod rules_cmd;
mod serve;

#[derive(Debug, Parser)]
#[command(
    name = "ecsnet",
    version,
    long_version = long_version(),
    about = "Catch Amazon ECS network-mode mistakes in Terraform and OpenTofu plans before apply",
    long_about = None,
    after_help = "Typical use:\n  terraform plan -out tfplan && terraform show -json tfplan | ecsnet check -\n  ecsnet check plan.json --format sarif -o ecsnet.sarif   # CI: code scanning upload\n  ecsnet inventory plan.json                             # what ecsnet found and how it is linked\n  ecsnet explain NET070                                  # what a rule checks and how to fix it\n\nConfiguration: .ecsnet.hcl in the working directory (see `ecsnet check --help`).\nExit codes: 0 nothing reached --fail-on, 1 a finding did, 2 bad input or usage."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// `--version`: the version, then the edition and date of every embedded data table
/// (`-V` prints the version alone).
fn long_version() -> &'static str {
    static TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{}\ndata tables:\n{}",
            env!("CARGO_PKG_VERSION"),
            crate::instances::editions_text("  ").trim_end()
        )
    });
    TEXT.as_str()
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Check(check::CheckArgs),
    Inventory(inventory::InventoryArgs),
    Capacity(capacity::CapacityArgs),
    Explain(explain::ExplainArgs),
    Rules(rules_cmd::RulesArgs),
    InstanceType(instance_type::InstanceTypeArgs),
    Serve(serve::ServeArgs),
}

/// Entry point used by `main.rs`.
pub fn main() -> ExitCode {
    if let Some(code) = crate::provider::launched_by_terraform() {
        return code;
    }
    if let Some(code) = serve::launched_as_plugin() {
        return code;
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Check(a) => check::run(a),
        Command::Inventory(a) => inventory::run(a),
        Command::Capacity(a) => capacity::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Rules(a) => rules_cmd::run(a),
        Command::InstanceType(a) => instance_type::run(a),
        Command::Serve(a) => serve::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}
