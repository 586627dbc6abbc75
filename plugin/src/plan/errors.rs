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
        "{name} is larger than the {limit}-byte input limit: check that it is a plan, or raise the limit with {}=<size> (bytes, or with K, M or G: 4G)",
        super::MAX_BYTES_ENV
    ))
}

/// serde_json's message without its trailing " at line L column C" (we add our own), with
/// what it quotes from the plan cut short: serde quotes a wrong value whole (`invalid type:
/// string "…"`), and a 20 MB string must not make a 20 MB error line.
fn bare(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let s = match s.rfind(" at line ") {
        Some(i) => &s[..i],
        None => &s[..],
    };
    tidy_serde_message(s)
}

/// Characters of the quoted part of a serde message kept (see [`bare`]).
const QUOTED_MAX: usize = crate::error::EXCERPT_CHARS + 20;

/// `invalid type: string "…", expected X`: the found part is cut to [`QUOTED_MAX`]
/// characters, the expected part (ecsnet's own words) is kept; any other message is cut
/// whole to a few lines' worth.
pub(crate) fn tidy_serde_message(s: &str) -> String {
    use crate::error::shorten;
    match s.rfind(", expected ") {
        Some(i) if s.starts_with("invalid ") => {
            format!("{}{}", shorten(&s[..i], QUOTED_MAX), shorten(&s[i..], 200))
        }
        _ => shorten(s, 200),
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
    let is_plan = k.planned_object || k.changes_list;
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
    let sections = k.planned_values || k.resource_changes || k.prior_state || k.configuration;
    if k.format_version && !sections && !k.variables && !k.output_changes {
        return Err(UserError::new(format!(
            "{name} is `terraform show -json` output without a plan (an empty state): {HOW}"
        )));
    }
    if sections || k.output_changes || k.variables {
        return Err(UserError::new(format!(
            "{name} is not a complete Terraform plan: it has no `planned_values` object and no `resource_changes` list (`terraform show -json` writes `planned_values` in every plan, even one without resources), so ecsnet cannot tell what will exist: {HOW}"
        )));
    }
    Err(UserError::new(format!(
        "{name} is JSON but not a Terraform plan (it has none of `planned_values`, `resource_changes`, `prior_state`, `configuration`): {HOW}"
    )))
}

/// `format_version` is `MAJOR.MINOR` (digits); majors 0 and 1 are readable, 2 and later are
/// refused, as the format's own rule says. Anything else (`"-1.0"`, `"a.b"`, `""`, a number)
/// is not a version Terraform or OpenTofu writes, and is refused rather than guessed at.
pub(crate) fn check_format_version(name: &str, raw: &str) -> Result<(), UserError> {
    let text: Option<String> = serde_json::from_str(raw).ok();
    let parsed = text.as_deref().and_then(|v| {
        let (major, minor) = v.split_once('.')?;
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
        (digits(major) && digits(minor)).then(|| major.parse::<u64>().ok())?
    });
    let shown = match &text {
        Some(v) => crate::error::excerpt(v),
        None => crate::error::shorten(raw, crate::error::EXCERPT_CHARS),
    };
    match parsed {
        Some(0 | 1) => Ok(()),
        Some(_) => Err(UserError::new(format!(
            "{name} has plan format_version {}, which this ecsnet cannot read (it reads 0.x and 1.x): \
             upgrade ecsnet, or produce the JSON with a Terraform/OpenTofu release that writes format 1.x",
            text.as_deref().unwrap_or_default()
        ))),
        None => Err(UserError::new(format!(
            "{name} has `format_version` {shown}, which is not a plan format version (a string MAJOR.MINOR such as \"1.2\", major 0 or 1): the file was not written by `terraform show -json`; {HOW}"
        ))),
    }
}
