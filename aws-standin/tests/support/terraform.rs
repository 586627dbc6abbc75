//! What the tests that run real Terraform share: saying that one skipped, where it is seen
//! (cargo test captures what a passing test prints with `eprintln!`, not writes to the
//! process's stderr itself), and finding the Terraform the stand-in is made for.

use std::path::PathBuf;

use aws_standin::scenarios::{find_on_path, terraform_version, TERRAFORM_VERSION};

/// `eprintln!`, uncaptured: for the one line a test prints when it skips.
macro_rules! skip_note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "SKIPPED: {}", format_args!($($arg)*));
    }};
}

/// Terraform on PATH when it is the version the stand-in is made for; else `None`, after a
/// SKIPPED line saying `what` is not done and why.
pub fn terraform_or_skip(what: &str) -> Option<PathBuf> {
    let Some(terraform) = find_on_path("terraform") else {
        skip_note!("{what}: terraform is not on PATH");
        return None;
    };
    match terraform_version(&terraform) {
        Ok(v) if v == TERRAFORM_VERSION => Some(terraform),
        Ok(v) => {
            skip_note!("{what}: terraform on PATH is {v}, not {TERRAFORM_VERSION}");
            None
        }
        Err(e) => panic!("{e}"),
    }
}
