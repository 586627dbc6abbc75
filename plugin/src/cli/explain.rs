//! `ecsnet explain NET070`: a rule's documentation.

use crate::error::{Result, UserError};
use crate::report::{rule_doc, suggest};
use crate::rules;

/// Print what a rule checks, why it matters, an example and how to fix it.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  ecsnet explain NET070\n  ecsnet explain eni-capacity | less\n\nList every rule with `ecsnet rules`."
)]
pub struct ExplainArgs {
    /// Rule id (NET070) or name (as listed by `ecsnet rules`).
    #[arg(value_name = "RULE")]
    pub rule: String,
}

pub fn run(args: ExplainArgs) -> Result<u8> {
    let text = explain(&args.rule)?;
    crate::cli::common::print_stdout(&text)?;
    Ok(crate::error::exit::OK)
}

/// The explanation text for a rule id or name, or an error listing close ids.
pub fn explain(key: &str) -> Result<String> {
    let Some(rule) = rules::find(key.trim()) else {
        return Err(unknown(key));
    };
    let m = rule.meta();
    Ok(format!(
        "{} {} (default severity: {})\n{}\n\n{}\nAWS source: {}\n",
        m.id,
        m.name,
        m.default_severity,
        m.summary,
        rule_doc(m),
        m.url
    ))
}

fn unknown(key: &str) -> UserError {
    let all = rules::all();
    let mut candidates: Vec<&str> = all.iter().map(|r| r.meta().id.as_str()).collect();
    candidates.extend(all.iter().map(|r| r.meta().name));
    let close = suggest::close_matches(key.trim(), &candidates, 10);
    let hint = if close.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", close.join(", "))
    };
    UserError::new(format!(
        "unknown rule \"{key}\"{hint} Run `ecsnet rules` to list every rule"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_every_rule_by_id_and_name() {
        for r in rules::all() {
            let m = r.meta();
            let t = explain(&m.id).unwrap();
            assert!(t.starts_with(&format!("{} {}", m.id, m.name)), "{t}");
            assert!(t.contains("## What it checks"));
            assert!(t.contains(m.url));
            assert_eq!(explain(&m.id.to_ascii_lowercase()).unwrap(), t);
            assert_eq!(explain(m.name).unwrap(), t);
        }
    }

    #[test]
    fn unknown_ids_list_close_ones() {
        let e = explain("NET9999").unwrap_err().message;
        assert!(e.starts_with("unknown rule \"NET9999\""), "{e}");
        assert!(e.contains("ecsnet rules"), "{e}");
        if let Some(first) = rules::all().first() {
            let id = first.meta().id;
            // drop the last digit: every id sharing the prefix is suggested
            let e = explain(&id[..5]).unwrap_err().message;
            assert!(e.contains(id.as_str()), "{e}");
        }
    }
}
