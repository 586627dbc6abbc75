//! The `ecsnet` command line. Each subcommand lives in its own file with a clap `Args`
//! struct and a `run` function returning the process exit code.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::exit;

#[cfg(test)]
mod canary;
mod capacity;
mod check;
mod common;

pub use common::write_file;
mod explain;
mod generate;
mod hugepages;
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
    arg_required_else_help = true,
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
    Completions(generate::CompletionsArgs),
    Man(generate::ManArgs),
}

/// A usage error as one line, then one line of hint: clap's message (with its tip folded in),
/// and where to read about the options of the command the user ran.
fn usage_error(rendered: &str, first_arg: Option<String>) -> String {
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut message = lines.next().unwrap_or("error: bad usage").to_string();
    if !message.starts_with("error:") {
        message = format!("error: {message}");
    }
    if let Some(tip) = lines.find_map(|l| l.strip_prefix("tip:")) {
        message.push_str(&format!(" ({})", tip.trim()));
    }
    let command = first_arg
        .filter(|a| {
            <Cli as clap::CommandFactory>::command()
                .find_subcommand(a)
                .is_some()
        })
        .map(|a| format!("ecsnet {a}"))
        .unwrap_or_else(|| "ecsnet".to_string());
    format!("{message}\nhint: `{command} --help` lists the options and examples\n")
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
            use clap::error::ErrorKind;
            if !e.use_stderr() || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                let _ = e.print();
                return ExitCode::from(if e.use_stderr() {
                    exit::USAGE
                } else {
                    exit::OK
                });
            }
            eprint!(
                "{}",
                usage_error(&e.render().to_string(), std::env::args().nth(1))
            );
            return ExitCode::from(exit::USAGE);
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
        Command::Completions(a) => generate::run_completions(a),
        Command::Man(a) => generate::run_man(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_are_one_line_and_a_hint() {
        let e =
            Cli::try_parse_from(["ecsnet", "check", "plan.json", "--colour", "never"]).unwrap_err();
        let text = usage_error(&e.render().to_string(), Some("check".into()));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(
            lines[0].starts_with("error: unexpected argument '--colour'"),
            "{text}"
        );
        assert_eq!(
            lines[1],
            "hint: `ecsnet check --help` lists the options and examples"
        );
        let e = Cli::try_parse_from(["ecsnet", "chek"]).unwrap_err();
        let text = usage_error(&e.render().to_string(), Some("chek".into()));
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(
            text.ends_with("hint: `ecsnet --help` lists the options and examples\n"),
            "{text}"
        );
    }
}
