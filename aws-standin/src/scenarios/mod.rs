//! The scenario generator: plans every Terraform configuration under
//! `testdata/scenarios/<topic>/<name>/` with real Terraform through this stand-in provider
//! and writes the plans ecsnet's tests read (`plan.json`, and `update/plan.json` beside
//! the overlay for scenarios with an `update/` directory). `testdata/scenarios/README.md`
//! describes the layout; the `scenarios` binary is the command line.
//!
//! - [`discover`]: which directories are scenarios.
//! - [`terraform`]: the offline Terraform set-up (a filesystem mirror of the stand-in under
//!   both provider versions) and running its commands.
//! - [`generate`]: one scenario in a temporary copy, and many a few at a time.
//! - [`normalize`]: the plan JSON as Terraform printed it, less what changes on every run.
//! - [`fsutil`]: temporary directories and copies.

pub mod discover;
pub mod fsutil;
pub mod generate;
pub mod normalize;
pub mod terraform;

pub use discover::{
    default_root, discover, filter, Discovery, Scenario, CREATE_PLAN, UPDATE_DIR, UPDATE_PLAN,
};
pub use generate::{generate, generate_all, sources_of, Failure, Keep, Outcome, Plans};
pub use normalize::{normalize_plan, FIXED_TIMESTAMP};
pub use terraform::{
    find_on_path, terraform_version, Terraform, PROVIDER_VERSIONS, TERRAFORM_VERSION,
};
