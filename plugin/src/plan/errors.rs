//! One-line messages for every way an input can fail to be a plan: what is wrong, then
//! what to do. Kept together so that their wording stays consistent.

use serde_json::error::Category;

use super::document::TopKeys;
use crate::error::UserError;

const HOW: &str = "run `terraform plan -out tfplan` and pass `terraform show -json tfplan` (or the binary tfplan itself)";

pub(crate) fn empty(name: &str) -> UserError {
    UserError::new(format!("{name} is empty: {HOW}"))
}

pub(crate) fn not_utf8(name: &str, offset: usize) -> UserError {
    UserError::new(format!(
        "{name} is not UTF-8 or UTF-16 text (invalid byte at offset {offset}): {HOW}"
    ))
}

pub(crate) fn not_an_object(name: &str, first: u8) -> UserError {
    let kind = match first {
        b'[' => "an array",
        b'"' => "a string",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        _ => "a number",
    };
    UserError::new(format!(
        "{name} is JSON but not a Terraform plan (the top level is {kind}, a plan is an object): {HOW}"
    ))
}

pub(crate) fn too_large(name: &str, limit: u64) -> UserError {
    UserError::new(format!(
        "{name} is larger than the {limit}-byte input limit: check that it is a plan, or raise the limit with {}=<bytes>",
        super::MAX_BYTES_ENV
    ))
}

/// serde_json's message without its trailing " at line L column C" (we add our own).
fn bare(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A JSON error while reading the document (or a section of it, for context).
pub(crate) fn json(name: &str, e: &serde_json::Error, section: &str) -> UserError {
    let at = format!("line {}, column {}", e.line(), e.column());
    let msg = bare(e);
    if msg.contains("recursion limit exceeded") {
        return UserError::new(format!(
            "{name} nests JSON more than 128 levels deep ({at}), deeper than any Terraform plan: the file is corrupt or not a plan; {HOW}"
        ));
    }
    let within = if section.is_empty() {
        String::new()
    } else {
        format!(" in `{section}`")
    };
    match e.classify() {
        Category::Eof => UserError::new(format!(
            "{name} ends in the middle of the JSON ({at}): the file is truncated; write it again with `terraform show -json tfplan > plan.json`"
        )),
        Category::Syntax if e.line() == 1 && e.column() <= 1 => UserError::new(format!("{name} is not JSON ({msg}): {HOW}")),
        Category::Syntax => UserError::new(format!("{name} is not valid JSON ({msg} at {at}){within}: {HOW}")),
        Category::Io => UserError::new(format!("cannot read {name}: {msg}: check the path and permissions")),
        Category::Data => UserError::new(format!(
            "{name} is not a valid Terraform plan ({msg} at {at}{within}): {HOW}"
        )),
    }
}

pub(crate) fn too_deep_values(name: &str, address: &str) -> UserError {
    UserError::new(format!(
        "{name}: the values of {address} nest JSON more than {} levels deep, deeper than any Terraform plan: the file is corrupt; {HOW}",
        super::lazy::MAX_DEPTH
    ))
}

pub(crate) fn resource_values(name: &str, address: &str, e: &serde_json::Error) -> UserError {
    let msg = bare(e);
    if msg.contains("recursion limit exceeded") {
        return UserError::new(format!(
            "{name}: the values of {address} nest JSON more than 128 levels deep, deeper than any Terraform plan: the file is corrupt; {HOW}"
        ));
    }
    UserError::new(format!(
        "{name}: the values of {address} are not valid JSON ({msg}): {HOW}"
    ))
}

/// Decide by the keys present whether the document is a plan, and if not, say what it is.
pub(crate) fn check_kind(name: &str, k: &TopKeys) -> Result<(), UserError> {
    let is_plan = k.planned_values || k.resource_changes;
    if k.plan_format_version {
        return Err(UserError::new(format!(
            "{name} is HCP Terraform's redacted plan JSON (it has `plan_format_version`), which replaces sensitive and other values ecsnet needs: \
             download the run's plan file and pass `terraform show -json tfplan` instead"
        )));
    }
    if k.provider_schemas && !is_plan {
        return Err(UserError::new(format!(
            "{name} is `terraform providers schema -json` output, not a plan: {HOW}"
        )));
    }
    if is_plan {
        return Ok(());
    }
    if k.raw_state {
        return Err(UserError::new(format!(
            "{name} is a raw state file (terraform.tfstate), not a plan: {HOW}"
        )));
    }
    if k.values {
        return Err(UserError::new(format!(
            "{name} is a Terraform state (`terraform show -json` without a plan file: it has `values` but no `planned_values` or `resource_changes`): {HOW}"
        )));
    }
    if k.validate_output {
        return Err(UserError::new(format!(
            "{name} is `terraform validate -json` output, not a plan: {HOW}"
        )));
    }
    if k.format_version && !k.prior_state && !k.configuration && !k.variables && !k.output_changes {
        return Err(UserError::new(format!(
            "{name} is `terraform show -json` output without a plan (an empty state): {HOW}"
        )));
    }
    if k.prior_state || k.configuration || k.output_changes {
        // A plan with no resources at all may omit both; the other plan keys say it is one.
        return Ok(());
    }
    Err(UserError::new(format!(
        "{name} is JSON but not a Terraform plan (it has none of `planned_values`, `resource_changes`, `prior_state`, `configuration`): {HOW}"
    )))
}

/// Major versions 0 and 1 are readable; 2 and later are refused, as the format's own rule
/// says. An unparsable version is not refused: keys decide, not the string.
pub(crate) fn check_format_version(name: &str, v: &str) -> Result<(), UserError> {
    let major = v
        .trim()
        .split('.')
        .next()
        .and_then(|m| m.parse::<u64>().ok());
    match major {
        Some(m) if m >= 2 => Err(UserError::new(format!(
            "{name} has plan format_version {v}, which this ecsnet cannot read (it reads 0.x and 1.x): \
             upgrade ecsnet, or produce the JSON with a Terraform/OpenTofu release that writes format 1.x"
        ))),
        _ => Ok(()),
    }
}
