//! GitHub Actions workflow commands: one annotation per finding
//! (`::error title=NET070 …::message`), then a plain summary line.
//!
//! Findings suppressed by an `ignore` block are emitted as `::notice` with their reason,
//! so the annotations carry the same findings as every other format.

use crate::diagnostics::{Diagnostic, Severity};
use crate::engine::{fail_on_str, Report};

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
    if d.suppressed.is_some() {
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
    let mut msg = String::new();
    if let Some(reason) = &d.suppressed {
        msg.push_str(&format!("[suppressed: {reason}] "));
    }
    msg.push_str(&format!("{}: {}", d.severity, d.message));
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
            let mut p = format!("file={},line={},", escape_property(&at.file), at.line);
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

/// Workflow commands, one per line, and a summary line.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let multi = report.plans.len() > 1;
    for d in &report.diagnostics {
        let plan = if multi { report.plan_path(d) } else { None };
        out.push_str(&annotation(d, plan));
        out.push('\n');
    }
    let s = &report.summary;
    out.push_str(&format!(
        "ecsnet: {} errors, {} warnings, {} infos ({} unverifiable), {} suppressed; fail-on {}: {}\n",
        s.errors,
        s.warnings,
        s.infos,
        s.unverifiable,
        s.suppressed,
        fail_on_str(s.fail_on),
        if s.failed { "failed" } else { "passed" }
    ));
    out
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
