//! A stand-in for the `hashicorp/aws` Terraform provider (test tool, never installed): it
//! serves the real provider's schema (5.100.0 or 6.47.0), plans as the real SDKv2 provider
//! does, applies with deterministic made-up ids, and answers data sources from a scenario's
//! world.json. See README.md in this crate.

pub mod aliases;
pub mod apply;
pub mod codec;
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

pub mod pb {
    //! Generated tfplugin6 messages and the Provider service.
    #![allow(clippy::all, clippy::pedantic, missing_docs)]
    tonic::include_proto!("tfplugin6");
}
