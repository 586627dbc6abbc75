//! ecsnet: catches Amazon ECS network-mode mistakes in Terraform and OpenTofu plans.
//!
//! Architecture, in the order data flows:
//! - [`plan`]: reads `terraform show -json` output (or a binary plan) into resources with
//!   known / null / unknown / sensitive values and the configuration's references.
//! - [`model`]: extracts the ECS entities and resolves the links between them.
//! - [`instances`]: embedded EC2 ENI limits and ECS ENI-trunking tables.
//! - [`capacity`]: ENI slots, subnet addresses and static ports against task demand.
//! - [`rules`]: one file per NET rule, run over the model.
//! - [`config`]: `.ecsnet.hcl` (fail_on, rule overrides, assumptions, ignores).
//! - [`engine`]: plan(s) + configuration → report; shared by the CLI and the plugin server.
//! - [`locate`]: where findings point (`.tf` line through the `tfsource` crate, else the
//!   plan JSON) and inline `ecsnet:ignore` suppressions.
//! - [`report`]: text, JSON, SARIF, JUnit and GitHub output.
//! - [`server`]: the go-plugin gRPC server.
//! - [`provider`]: the Terraform provider with ecsnet's functions (tfplugin6).
//! - [`cli`]: the `ecsnet` command line.

/// `eprintln!`, uncaptured, for the line a test prints when it skips: cargo test captures
/// `eprintln!` output of passing tests, not writes to the process's stderr itself.
#[cfg(test)]
macro_rules! skip_note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "SKIPPED: {}", format_args!($($arg)*));
    }};
}

pub mod baseline;
pub mod cancel;
pub mod capacity;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod engine;
pub mod error;
pub mod findings;
pub mod instances;
pub mod locate;
pub mod model;
pub mod par;
pub mod plan;
pub mod provider;
pub mod report;
pub mod rules;
pub mod server;
pub mod timings;
