//! Human-readable report, grouped by resource address, in the spirit of rustc:
//!
//! ```text
//! module.app["blue"].aws_ecs_service.api
//!   error[NET070]: cluster cannot place the desired tasks even at max size
//!     --> modules/app/main.tf:42 (desired_count)
//!      | needs 12 tasks (desired 6 × maximum_percent 200%)
//!      = help: enable awsvpcTrunking
//!      = docs: https://... (ecsnet explain NET070)
//! ```
//!
//! Colours are added only when the caller asks (a terminal, NO_COLOR unset); the words
//! carry the meaning without them.

use std::fmt::Write;

use anstyle::{AnsiColor, Effects, Style};

use crate::diagnostics::{Diagnostic, Severity};
use crate::engine::{fail_on_str, Report};

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

fn severity_style(s: Severity) -> Style {
    let c = match s {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(c.into())).effects(Effects::BOLD)
}

const BOLD: Style = Style::new().effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);
const BLUE: Style = Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Blue)))
    .effects(Effects::BOLD);

/// Render the report as text. `color` adds ANSI styles.
pub fn render(report: &Report, color: bool) -> String {
    let p = Painter { color };
    let mut out = String::new();
    let mut current: Option<(usize, &str)> = None;
    for d in &report.diagnostics {
        if current != Some((d.plan, d.address.as_str())) {
            if current.is_some() {
                out.push('\n');
            }
            current = Some((d.plan, d.address.as_str()));
            let mut header = p.paint(BOLD, &clean(&d.address));
            if report.plans.len() > 1 {
                if let Some(path) = report.plan_path(d) {
                    let _ = write!(header, "  {}", p.paint(DIM, &format!("({})", clean(path))));
                }
            }
            out.push_str(&header);
            out.push('\n');
        }
        finding(&mut out, &p, d);
    }
    if !report.diagnostics.is_empty() {
        out.push('\n');
    }
    for note in &report.notes {
        let _ = writeln!(out, "{}: {}", p.paint(BOLD, "note"), clean(note));
    }
    out.push_str(&summary_line(report, &p));
    out.push('\n');
    out
}

fn finding(out: &mut String, p: &Painter, d: &Diagnostic) {
    let sev = p.paint(
        severity_style(d.severity),
        &format!("{}[{}]", d.severity, d.rule),
    );
    let mut tags = String::new();
    if d.unverifiable {
        tags.push_str(" (unverifiable)");
    }
    if d.suppressed.is_some() {
        tags.push_str(" (suppressed)");
    }
    if d.baselined {
        tags.push_str(" (in baseline)");
    }
    let _ = writeln!(
        out,
        "  {sev}{}: {}",
        p.paint(DIM, &tags),
        p.paint(BOLD, &clean(&d.message))
    );
    let bar = p.paint(BLUE, "|");
    let eq = p.paint(BLUE, "=");
    match (&d.location, &d.attribute) {
        (Some(at), Some(attr)) => {
            let _ = writeln!(
                out,
                "    {} {} ({})",
                p.paint(BLUE, "-->"),
                clean(&at.to_string()),
                clean(attr)
            );
        }
        (Some(at), None) => {
            let _ = writeln!(
                out,
                "    {} {}",
                p.paint(BLUE, "-->"),
                clean(&at.to_string())
            );
        }
        (None, Some(attr)) => {
            let _ = writeln!(out, "    {} {}", p.paint(BLUE, "-->"), clean(attr));
        }
        (None, None) => {}
    }
    if let Some(reason) = &d.suppressed {
        let _ = writeln!(
            out,
            "     {eq} {}",
            p.paint(DIM, &format!("suppressed: {}", clean(reason)))
        );
    }
    if let Some(detail) = &d.detail {
        for line in detail.lines() {
            let _ = writeln!(out, "     {bar} {}", clean(line));
        }
    }
    if let Some(help) = &d.help {
        labelled(out, &eq, &p.paint(BOLD, "help"), help);
    }
    if !d.also.is_empty() {
        let also: Vec<String> = d.also.iter().map(|r| clean(r)).collect();
        labelled(out, &eq, "also", &also.join(", "));
    }
    if !d.related.is_empty() {
        let related: Vec<String> = d.related.iter().map(|r| clean(r)).collect();
        labelled(out, &eq, "related", &related.join(", "));
    }
    labelled(
        out,
        &eq,
        "docs",
        &format!("{} (ecsnet explain {})", d.url, d.rule),
    );
}

/// `= label: text`, continuation lines aligned under the text.
fn labelled(out: &mut String, eq: &str, label: &str, text: &str) {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let _ = writeln!(out, "     {eq} {label}: {}", clean(first));
    for line in lines {
        let _ = writeln!(out, "       {}", clean(line));
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn summary_line(report: &Report, p: &Painter) -> String {
    let s = &report.summary;
    let resources: usize = report.plans.iter().map(|pl| pl.resources).sum();
    let scope = match report.plans.as_slice() {
        [one] => format!("{} ({})", clean(&one.path), plural(resources, "resource")),
        many => format!(
            "{} ({})",
            plural(many.len(), "plan"),
            plural(resources, "resource")
        ),
    };
    let active = s.errors + s.warnings + s.infos;
    let mut line = if active == 0 {
        format!("No findings in {scope}")
    } else {
        let mut parts = Vec::new();
        if s.errors > 0 {
            parts.push(p.paint(severity_style(Severity::Error), &plural(s.errors, "error")));
        }
        if s.warnings > 0 {
            parts.push(p.paint(
                severity_style(Severity::Warning),
                &plural(s.warnings, "warning"),
            ));
        }
        if s.infos > 0 {
            let mut infos = plural(s.infos, "info");
            if s.unverifiable > 0 {
                let _ = write!(infos, " ({} unverifiable)", s.unverifiable);
            }
            parts.push(p.paint(severity_style(Severity::Info), &infos));
        }
        format!("Found {} in {scope}", parts.join(", "))
    };
    if s.suppressed > 0 {
        let _ = write!(line, "; {} suppressed by ignore blocks", s.suppressed);
    }
    if let Some(b) = &s.baseline {
        let _ = write!(
            line,
            "; {} new, {} in the baseline, {} of its entries no longer found",
            b.new,
            b.known,
            b.absent.len()
        );
    }
    let verdict = if s.failed {
        p.paint(severity_style(Severity::Error), "failed")
    } else {
        "passed".to_string()
    };
    let _ = write!(line, ". fail-on {}: {verdict}", fail_on_str(s.fail_on));
    line
}

/// Terminal-safe text: control characters other than tab (from plan values) are shown
/// escaped so they cannot move the cursor or recolour the terminal.
pub(crate) fn clean(s: &str) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\t') {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FailOn;
    use crate::report::testing::sample;

    #[test]
    fn groups_by_address_and_shows_arithmetic() {
        let r = sample(FailOn::Severity(Severity::Error));
        let t = render(&r, false);
        assert!(!t.contains('\u{1b}'), "no colour when not asked");
        // one header per address, findings under it
        assert_eq!(
            t.matches("module.app[\"blue\"].aws_ecs_service.api\n")
                .count(),
            1
        );
        assert!(t.contains("  error[NET070]: cluster cannot place"));
        assert!(t.contains("     | needs 12 tasks (desired 6 × maximum_percent 200%)\n"));
        assert!(t.contains("     = help: enable awsvpcTrunking"));
        assert!(t.contains("  info[NET072] (unverifiable): subnet size unknown"));
        assert!(t.contains("  warning[NET018] (suppressed): static host port 50000"));
        assert!(t.contains("suppressed: legacy: keeps port"));
        assert!(t.ends_with(
            "Found 1 error, 1 warning, 1 info (1 unverifiable) in plans/prod plan.json (42 resources); 1 suppressed by ignore blocks. fail-on error: failed\n"
        ), "{t}");
    }

    #[test]
    fn colour_only_on_request() {
        let r = sample(FailOn::Severity(Severity::Error));
        let t = render(&r, true);
        assert!(t.contains("\u{1b}["));
    }

    #[test]
    fn empty_report() {
        let r = Report::new(vec![], vec![], FailOn::Severity(Severity::Error));
        assert_eq!(
            render(&r, false),
            "No findings in 0 plans (0 resources). fail-on error: passed\n"
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(clean("plain"), "plain");
    }
}
