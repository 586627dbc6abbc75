//! Reads the Terraform sources behind a plan, for ecsnet.
//!
//! - [`Sources::load`] finds the modules of a configuration from its root module directory
//!   (module directories through `.terraform/modules/modules.json`, which `terraform init`
//!   writes for local and registry modules alike, or local `source = "./..."` paths when it
//!   is absent), parses every `.tf` file with hcl-edit and keeps the line of every block and
//!   attribute, and the inline suppressions (`# ecsnet:ignore NET044 -- reason`).
//! - [`Sources::locate`] maps a plan address and attribute path
//!   (`module.svc["a"].aws_ecs_service.this`, `network_configuration[0].subnets`) to a file
//!   and line, through module calls and `dynamic` blocks; file paths are relative to the
//!   repository root (or the current directory outside a repository), never absolute.
//! - [`Evaluator`] evaluates attribute expressions symbolically for a module instance:
//!   literals, variables (root values from the plan's `variables`, module call arguments
//!   for children, evaluated recursively), locals, conditionals, for-expressions, splats,
//!   `dynamic` blocks with their iterator, `count.index`, `each.key`/`each.value`, and the
//!   functions in [`SUPPORTED_FUNCTIONS`]. References to resource attributes evaluate to
//!   [`Value::Unknown`] naming the resource and attribute ([`Ref`]), so links can be
//!   followed; an unsupported function gives an unknown, never an error.

pub mod address;
mod digest;
mod eval;
mod funcs;
mod sources;
pub mod tree;
mod value;

pub use digest::sha1_hex;
pub use eval::{Evaluator, Instance};
pub use sources::{
    has_tf_files, Item, Located, Module, SourceError, SourceFile, Sources, Suppression,
};
pub use value::{number_string, Ref, Unknown, Value};

/// The Terraform functions [`Evaluator`] evaluates; any other gives an unknown value.
pub const SUPPORTED_FUNCTIONS: &[&str] = funcs::SUPPORTED;

/// Environment variable naming the root module directory (as `--source`).
pub const SOURCE_ENV: &str = "ECSNET_SOURCE";

#[cfg(test)]
mod tests;
