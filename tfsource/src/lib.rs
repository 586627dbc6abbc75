//! Reads the Terraform sources behind a plan, for ecsnet.
//!
//! - [`Sources::load`] finds the modules of a configuration from its root module directory
//!   (module directories through `.terraform/modules/modules.json`, which `terraform init`
//!   writes for local and registry modules alike, or local `source = "./..."` paths when it
//!   is absent), parses every `.tf` file (with a parser of its own for the common subset of
//!   HCL, hcl-edit for the rest) and keeps the line of every block and attribute, and the
//!   inline suppressions (`# ecsnet:ignore NET044 -- reason`).
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
mod fast;
mod funcs;
mod sources;
pub mod tree;
mod value;

pub use digest::sha1_hex;
pub use eval::{Evaluator, Instance, ReadMembers};
pub use sources::{
    has_tf_files, Item, Located, Module, SourceError, SourceFile, Sources, Suppression,
};
pub use value::{number_string, Ref, Unknown, Value};

/// The Terraform functions [`Evaluator`] evaluates; any other gives an unknown value.
pub const SUPPORTED_FUNCTIONS: &[&str] = funcs::SUPPORTED;

/// Grow the calling thread's heap by about `bytes` (at most 64 MiB) in a few large steps
/// and give the memory back at once, before work that makes many small allocations on a
/// thread other than the main one.
///
/// glibc gives every thread but the main one a heap of its own and grows it one page at a
/// time as small allocations need it, each step an `mprotect` call (about 1,400 calls on
/// the reading and overlay threads of a `check --source` of the sources bench); memory
/// it has made accessible once stays so when it is given back, and later growth up to
/// there needs no call. Blocks of 96 KiB stay below glibc's threshold for mapping an
/// allocation on its own (128 KiB or more). Elsewhere this is a few allocations and
/// frees.
pub fn reserve_thread_heap(bytes: usize) {
    const BLOCK: usize = 96 << 10;
    let n = bytes.min(64 << 20).div_ceil(BLOCK);
    let blocks: Vec<Vec<u8>> = (0..n).map(|_| Vec::with_capacity(BLOCK)).collect();
    // Held all at once (not reused one by one), then freed.
    drop(std::hint::black_box(blocks));
}

/// Environment variable naming the root module directory (as `--source`).
pub const SOURCE_ENV: &str = "ECSNET_SOURCE";

#[cfg(test)]
mod tests;
