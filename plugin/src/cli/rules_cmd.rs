//! `ecsnet rules`: the rule catalogue of this build.

use serde::Serialize;

use crate::diagnostics::Severity;
use crate::error::Result;
use crate::rules;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

/// List every rule: id, name, default severity, summary and AWS source.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  ecsnet rules\n  ecsnet rules --format json | jq -r '.rules[] | select(.default_severity == \"error\") | .id'\n\nDetails of one rule: `ecsnet explain NET070`. Disable or re-grade a rule in .ecsnet.hcl:\n  rule \"NET018\" { severity = \"info\" }"
)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Serialize)]
pub struct RuleInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    pub summary: &'static str,
    pub url: &'static str,
}

pub fn catalogue() -> Vec<RuleInfo> {
    rules::all()
        .iter()
        .map(|r| {
            let m = r.meta();
            RuleInfo {
                id: m.id.as_str(),
                name: m.name,
                default_severity: m.default_severity,
                summary: m.summary,
                url: m.url,
            }
        })
        .collect()
}

/// Version of the `rules --format json` document (`{"version": 1, "rules": [...]}`).
pub const RULES_VERSION: u32 = 1;

pub fn render(format: RulesFormat) -> String {
    let rules = catalogue();
    match format {
        RulesFormat::Json => {
            let doc = serde_json::json!({ "version": RULES_VERSION, "rules": rules });
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s
        }
        RulesFormat::Text => {
            let name_w = rules.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
            let mut out = format!(
                "{:<6}  {:<8}  {:<name_w$}  SUMMARY\n",
                "ID", "SEVERITY", "NAME"
            );
            for r in &rules {
                out.push_str(&format!(
                    "{:<6}  {:<8}  {:<name_w$}  {}\n{:<6}  {:<8}  {:<name_w$}  {}\n",
                    r.id,
                    r.default_severity.as_str(),
                    r.name,
                    r.summary,
                    "",
                    "",
                    "",
                    r.url
                ));
            }
            out.push_str(&format!(
                "\n{} rules. `ecsnet explain <ID>` shows what a rule checks and how to fix it.\n",
                rules.len()
            ));
            out
        }
    }
}

pub fn run(args: RulesArgs) -> Result<u8> {
    crate::cli::common::print_stdout(&render(args.format))?;
    Ok(crate::error::exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lists_every_rule_with_its_fields() {
        let v: serde_json::Value = serde_json::from_str(&render(RulesFormat::Json)).unwrap();
        assert_eq!(v["version"], RULES_VERSION);
        let arr = v["rules"].as_array().unwrap();
        assert_eq!(arr.len(), rules::all().len());
        for r in arr {
            for k in ["id", "name", "default_severity", "summary", "url"] {
                assert!(r[k].is_string(), "{k} in {r}");
            }
        }
    }

    #[test]
    fn text_has_one_entry_per_rule() {
        let t = render(RulesFormat::Text);
        assert!(t.starts_with("ID      SEVERITY"));
        for r in rules::all() {
            assert!(t.contains(r.meta().id.as_str()));
            assert!(t.contains(r.meta().url));
        }
        assert!(t.contains(&format!("{} rules.", rules::all().len())));
    }
}
