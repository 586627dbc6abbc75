//! GitHub Actions workflow commands: one annotation per finding
//! (`::error title=NET070 …::message`), then a plain summary line; and the Markdown table
//! written to `$GITHUB_STEP_SUMMARY`.
//!
//! Findings suppressed by an `ignore` block are emitted as `::notice` with their reason.
//! GitHub shows only about ten annotations of each level per step and drops the rest
//! silently, so at most [`MAX_PER_LEVEL`] are written per level: past that, the last one
//! says how many more findings the other reports hold.

use std::io::Write;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Severity};
use crate::engine::Report;
use crate::error::{io_reason, Result, UserError};

/// Annotations written per level (error, warning, notice), the one counting the rest included.
pub const MAX_PER_LEVEL: usize = 10;

/// Rows of the step summary's table; the rest are counted below it.
pub const MAX_SUMMARY_ROWS: usize = 50;

/// Escape message data: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value: as data, plus `:` and `,` which delimit properties.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(d: &Diagnostic) -> &'static str {
    if d.suppressed.is_some() || d.baselined {
        return "notice";
    }
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

fn annotation(d: &Diagnostic, plan: Option<&str>) -> String {
    let mut title = format!("{} {}", d.rule, d.address);
    if let Some(a) = &d.attribute {
        title.push('.');
        title.push_str(a);
    }
    if d.unverifiable {
        title.push_str(" (unverifiable)");
    }
    if d.suppressed.is_some() {
        title.push_str(" (suppressed)");
    }
    if d.baselined {
        title.push_str(" (in baseline)");
    }
    let mut msg = String::new();
    if let Some(reason) = &d.suppressed {
        msg.push_str(&format!("[suppressed: {reason}] "));
    }
    msg.push_str(&format!("{}: {}", d.severity, d.message));
    if !d.also.is_empty() {
        msg.push_str(&format!("\nalso: {}", d.also.join(", ")));
    }
    if let Some(detail) = &d.detail {
        msg.push('\n');
        msg.push_str(detail);
    }
    if let Some(help) = &d.help {
        msg.push_str("\nhelp: ");
        msg.push_str(help);
    }
    if let Some(p) = plan {
        msg.push_str(&format!("\nplan: {p}"));
    }
    msg.push_str(&format!("\ndocs: {}", d.url));
    // file/line make GitHub show the annotation on that line of the pull request's diff.
    let place = match &d.location {
        Some(at) => {
            // GitHub resolves `file` against the checkout: an absolute plan path under the
            // working directory is given relative to it.
            let file = super::sarif::relative_to_cwd(&at.file).unwrap_or_else(|| at.file.clone());
            let mut p = format!("file={},line={},", escape_property(&file), at.line);
            if let Some(c) = at.column {
                p.push_str(&format!("col={c},"));
            }
            p
        }
        None => String::new(),
    };
    format!(
        "::{} {place}title={}::{}",
        command(d),
        escape_property(&title),
        escape_data(&msg)
    )
}

const LEVELS: [&str; 3] = ["error", "warning", "notice"];

/// Workflow commands, one per line (at most [`MAX_PER_LEVEL`] per level), the notes about
/// the run, and a summary line.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let multi = report.plans.len() > 1;
    let mut total = [0usize; 3];
    for d in &report.diagnostics {
        total[level_index(command(d))] += 1;
    }
    let mut written = [0usize; 3];
    for d in &report.diagnostics {
        let i = level_index(command(d));
        // Over the cap: the first MAX_PER_LEVEL − 1, then one annotation for the rest.
        let room = if total[i] > MAX_PER_LEVEL {
            MAX_PER_LEVEL - 1
        } else {
            MAX_PER_LEVEL
        };
        if written[i] >= room {
            continue;
        }
        written[i] += 1;
        let plan = if multi { report.plan_path(d) } else { None };
        out.push_str(&annotation(d, plan));
        out.push('\n');
    }
    for (i, level) in LEVELS.iter().enumerate() {
        let more = total[i] - written[i];
        if more > 0 {
            out.push_str(&format!(
                "::{level} title={}::{}\n",
                escape_property(&format!("ecsnet: {more} more")),
                escape_data(&format!(
                    "{more} more {level} findings are not shown as annotations (GitHub shows about {MAX_PER_LEVEL} per level); every finding is in the step summary and in the other reports (--format json, sarif or junit)."
                ))
            ));
        }
    }
    for note in &report.notes {
        out.push_str(&format!("::warning title=ecsnet::{}\n", escape_data(note)));
    }
    out.push_str(&super::summary_line(report));
    out.push('\n');
    out
}

fn level_index(command: &str) -> usize {
    LEVELS.iter().position(|l| *l == command).unwrap_or(2)
}

/// Markdown for a table cell: one line, pipes escaped, no code spans broken.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
        .replace('`', "'")
}

/// The step summary: the verdict, then a table of the findings (suppressed ones last are
/// left out of it: they are counted in the verdict).
pub fn step_summary(report: &Report) -> String {
    let s = &report.summary;
    let mut out = format!(
        "### ecsnet: {} (fail-on {})\n\n",
        if s.failed { "failed" } else { "passed" },
        crate::engine::fail_on_str(s.fail_on)
    );
    out.push_str(&format!(
        "{} errors, {} warnings, {} infos ({} unverifiable), {} suppressed",
        s.errors, s.warnings, s.infos, s.unverifiable, s.suppressed
    ));
    if let Some(b) = &s.baseline {
        out.push_str(&format!(
            "; {} new, {} in the baseline, {} baseline entries no longer found",
            b.new,
            b.known,
            b.absent.len()
        ));
    }
    out.push_str("\n\n");
    for note in &report.notes {
        out.push_str(&format!("> **Note:** {}\n\n", cell(note)));
    }
    let shown: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.suppressed.is_none())
        .collect();
    if shown.is_empty() {
        return out;
    }
    out.push_str("| severity | rule | resource | finding |\n| --- | --- | --- | --- |\n");
    for d in shown.iter().take(MAX_SUMMARY_ROWS) {
        let mut resource = format!("`{}`", cell(&d.address));
        if !d.also.is_empty() {
            resource.push_str(&format!(" and {} more", d.also.len()));
        }
        let mut sev = d.severity.to_string();
        if d.baselined {
            sev.push_str(" (baseline)");
        } else if d.unverifiable {
            sev.push_str(" (unverifiable)");
        }
        out.push_str(&format!(
            "| {sev} | [{}]({}) | {resource} | {} |\n",
            d.rule,
            d.url,
            cell(&d.message)
        ));
    }
    if shown.len() > MAX_SUMMARY_ROWS {
        out.push_str(&format!(
            "\n{} more findings are in the other reports.\n",
            shown.len() - MAX_SUMMARY_ROWS
        ));
    }
    out
}

/// Append [`step_summary`] to the file `$GITHUB_STEP_SUMMARY` names.
pub fn append_step_summary(report: &Report, path: &Path) -> Result<()> {
    let text = step_summary(report) + "\n";
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| {
            UserError::new(format!(
                "cannot write the step summary to {} ($GITHUB_STEP_SUMMARY): {}",
                path.display(),
                io_reason(&e)
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FailOn;
    use crate::report::testing::sample;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn one_command_per_finding() {
        let g = render(&sample(FailOn::Severity(Severity::Error)));
        let lines: Vec<&str> = g.lines().collect();
        assert_eq!(lines.len(), 5, "{g}");
        assert!(g.contains(
            "::error title=NET070 module.app[\"blue\"].aws_ecs_service.api.desired_count::error: cluster cannot place"
        ), "{g}");
        assert!(
            g.contains("%0Aneeds 12 tasks (desired 6 × maximum_percent 200%25)%0A"),
            "{g}"
        );
        // the suppressed warning is a notice carrying its reason; ':' and ',' in the title are escaped
        assert!(g.contains("::notice title=NET018 module.legacy.aws_ecs_task_definition.web.container_definitions[0].portMappings[0].hostPort (suppressed)::[suppressed: legacy: keeps port, 50%25 off, until Q3]"), "{g}");
        assert!(
            g.contains(
                "::notice title=NET072 module.app[\"blue\"].aws_ecs_service.api (unverifiable)::"
            ),
            "{g}"
        );
        for l in &lines[..4] {
            assert!(!l.contains('\r'));
            assert!(l.starts_with("::"));
        }
        assert!(lines[4].starts_with("ecsnet: 1 errors, 1 warnings"));
    }

    #[test]
    fn annotations_are_capped_per_level_with_a_last_one_counting_the_rest() {
        let mut report = sample(FailOn::Severity(Severity::Error));
        let many: Vec<Diagnostic> = (0..25)
            .map(|i| {
                crate::report::testing::diag(
                    "NET040",
                    Severity::Error,
                    &format!("aws_ecs_service.s{i:02}"),
                    "needs network_configuration",
                )
            })
            .collect();
        report = Report::new(report.plans.clone(), many, report.summary.fail_on);
        let g = render(&report);
        let errors: Vec<&str> = g.lines().filter(|l| l.starts_with("::error ")).collect();
        assert_eq!(errors.len(), MAX_PER_LEVEL, "{g}");
        assert!(errors[..9].iter().all(|l| l.contains("NET040")));
        assert!(
            errors[9].starts_with("::error title=ecsnet%3A 16 more::16 more error findings"),
            "{}",
            errors[9]
        );
        // Ten exactly: all shown, no counting line.
        let ten: Vec<Diagnostic> = report.diagnostics[..10].to_vec();
        let g = render(&Report::new(
            report.plans.clone(),
            ten,
            report.summary.fail_on,
        ));
        assert_eq!(g.lines().filter(|l| l.starts_with("::error ")).count(), 10);
        assert!(!g.contains("more error findings"));
    }

    #[test]
    fn step_summary_is_a_markdown_table() {
        let report = sample(FailOn::Severity(Severity::Error));
        let md = step_summary(&report);
        assert!(
            md.starts_with("### ecsnet: failed (fail-on error)\n"),
            "{md}"
        );
        assert!(
            md.contains("| severity | rule | resource | finding |"),
            "{md}"
        );
        assert!(md.contains("| error | [NET070](https://docs.aws.amazon.com/NET070) | `module.app[\"blue\"].aws_ecs_service.api` |"), "{md}");
        // Suppressed findings are counted, not listed.
        assert!(!md.contains("module.legacy"), "{md}");
        assert_eq!(cell("a|b\nc`d"), "a\\|b c'd");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        append_step_summary(&report, &path).unwrap();
        append_step_summary(&report, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("### ecsnet").count(), 2);
    }

    #[test]
    fn property_delimiters_in_titles_are_escaped() {
        let mut d = crate::report::testing::diag(
            "NET013",
            Severity::Error,
            "module.m[\"a,b:c\"].aws_ecs_task_definition.t",
            "dup",
        );
        d.attribute = None;
        let a = annotation(&d, None);
        assert!(
            a.starts_with(
                "::error title=NET013 module.m[\"a%2Cb%3Ac\"].aws_ecs_task_definition.t::"
            ),
            "{a}"
        );
    }
}
