//! Rendering a [`Report`] for people and machines. Every format carries the same
//! findings, suppressed ones included (marked with their reason).

use crate::engine::Report;
use crate::rules::RuleMeta;

pub mod github;
pub mod inventory;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod suggest;
pub mod text;

/// `--format` of `ecsnet check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable, grouped by resource (colours on a terminal only).
    Text,
    /// JSON report, schema version 1 (docs/report-schema.md).
    Json,
    /// SARIF 2.1.0 for code scanning dashboards.
    Sarif,
    /// JUnit XML for CI test reports.
    Junit,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

impl Format {
    /// Every format, for checks that must look wherever a user could.
    pub const ALL: [Format; 5] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
    ];
}

/// Presentation choices that are not part of the report itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Emit ANSI colours (text format only).
    pub color: bool,
}

/// Render `report` in `format`. The result ends with a newline.
pub fn render(report: &Report, format: Format, opts: RenderOptions) -> String {
    match format {
        Format::Text => text::render(report, opts.color),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Github => github::render(report),
    }
}

/// [`render`], handed to `sink` in pieces: the JSON report as it is written (see
/// [`json::write_to`]), the other formats whole.
pub fn write_to(
    report: &Report,
    format: Format,
    opts: RenderOptions,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write_to(report, sink),
        _ => sink(&render(report, format, opts)),
    }
}

/// The one-line verdict, for logs: counts, the threshold, passed or failed, and what the
/// baseline did when one was given.
pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let mut line = format!(
        "ecsnet: {} errors, {} warnings, {} infos ({} unverifiable), {} suppressed",
        s.errors, s.warnings, s.infos, s.unverifiable, s.suppressed
    );
    if let Some(b) = &s.baseline {
        line.push_str(&format!(
            ", {} in the baseline ({} new; {} baseline entries no longer found)",
            b.known,
            b.new,
            b.absent.len()
        ));
    }
    line.push_str(&format!(
        "; fail-on {}: {}",
        crate::engine::fail_on_str(s.fail_on),
        if s.failed { "failed" } else { "passed" }
    ));
    line
}

/// A rule's doc comment as markdown: `///` comments keep the space after the slashes,
/// which is dropped here so headings and code blocks render.
pub fn rule_doc(meta: &RuleMeta) -> String {
    let mut out = String::with_capacity(meta.doc.len());
    for line in meta.doc.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out.trim().to_string() + "\n"
}

/// The text of one `## Heading` section of a rule doc (without the heading), trimmed.
pub fn doc_section(doc: &str, heading_prefix: &str) -> Option<String> {
    let mut lines = doc.lines();
    lines.find(|l| {
        l.trim_start()
            .strip_prefix("## ")
            .is_some_and(|h| h.starts_with(heading_prefix))
    })?;
    let body: Vec<&str> = lines
        .take_while(|l| !l.trim_start().starts_with("## "))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let text = body.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
pub(crate) mod testing {
    //! A report with one finding of each kind, for the renderers' unit tests.
    use crate::config::FailOn;
    use crate::diagnostics::{Diagnostic, Severity};
    use crate::engine::Report;
    use crate::model::PlanSummary;

    pub fn diag(
        rule: &'static str,
        severity: Severity,
        address: &str,
        message: &str,
    ) -> Diagnostic {
        Diagnostic {
            rule: rule.into(),
            severity,
            address: address.into(),
            attribute: None,
            message: message.into(),
            detail: None,
            help: None,
            url: format!("https://docs.aws.amazon.com/{rule}"),
            unverifiable: false,
            related: vec![],
            plan: 0,
            suppressed: None,
            ..Diagnostic::default()
        }
    }

    pub fn sample(fail_on: FailOn) -> Report {
        let mut eni = diag(
            "NET070",
            Severity::Error,
            "module.app[\"blue\"].aws_ecs_service.api",
            "cluster cannot place the desired tasks even at max size",
        );
        eni.attribute = Some("desired_count".into());
        eni.detail = Some(
            "needs 12 tasks (desired 6 × maximum_percent 200%)\ncluster capacity 6 slots: 3 × c5.large at 2 awsvpc ENIs each"
                .into(),
        );
        eni.help = Some("enable awsvpcTrunking: c5.large then takes 10 tasks".into());
        eni.related = vec!["aws_ecs_cluster.main".into()];
        let mut unv = diag(
            "NET072",
            Severity::Info,
            "module.app[\"blue\"].aws_ecs_service.api",
            "subnet size unknown: cidr_block of subnet-0abc is outside the plan",
        );
        unv.unverifiable = true;
        unv.help =
            Some("add assume { subnet \"subnet-0abc\" { cidr_block = \"10.0.1.0/24\" } }".into());
        let mut sup = diag(
            "NET018",
            Severity::Warning,
            "module.legacy.aws_ecs_task_definition.web",
            "static host port 50000 is inside the ephemeral range 49153-65535",
        );
        sup.attribute = Some("container_definitions[0].portMappings[0].hostPort".into());
        sup.suppressed = Some("legacy: keeps port, 50% off, until Q3".into());
        let mut warn = diag(
            "NET018",
            Severity::Warning,
            "aws_ecs_task_definition.worker",
            "static host port 50001 is inside the ephemeral range: 49153-65535, 100% sure",
        );
        warn.attribute = Some("container_definitions[1].portMappings[0].hostPort".into());
        Report::new(
            vec![PlanSummary {
                path: "plans/prod plan.json".into(),
                format_version: Some("1.2".into()),
                terraform_version: Some("1.9.5".into()),
                resources: 42,
                ecs_resources: None,
            }],
            vec![eni, unv, sup, warn],
            fail_on,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_extracted() {
        let doc = " ## What it checks\n Ports.\n More.\n\n ## Why it matters\n Because.\n";
        assert_eq!(
            doc_section(doc, "What it checks").as_deref(),
            Some("Ports.\nMore.")
        );
        assert_eq!(doc_section(doc, "Why").as_deref(), Some("Because."));
        assert_eq!(doc_section(doc, "How to fix"), None);
    }
}
