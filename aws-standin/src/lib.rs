//! A stand-in for the `hashicorp/aws` Terraform provider (test tool, never installed): it
//! serves the real provider's schema (5.100.0 or 6.47.0), plans as the real SDKv2 provider
//! does, applies with deterministic made-up ids, and answers data sources from a scenario's
//! world.json. See README.md in this crate.

pub mod aliases;
pub mod apply;
pub mod data;
pub mod defaults;
pub mod plan;
pub mod provider;
pub mod provider_config;
pub mod schema;
pub mod version;
pub mod world;

/// The scenario generator (testdata/scenarios -> plan.json with real Terraform), run by the
/// `scenarios` binary; kept by the generator's maintainer, not part of the provider.
pub mod scenarios;

// The tfplugin6 messages and the cty codec live in the `tfplugin6` crate, shared with ecsnet's
// provider; kept at their old paths here.
pub use tfplugin6::{codec, pb};
