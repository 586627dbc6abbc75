//! JUnit XML for CI test-report views: one `<testsuite>` per plan, one `<testcase>` per
//! (rule, address). A testcase fails when one of its findings reaches `fail_on`; a
//! testcase whose findings are all suppressed is `<skipped>` with the reason; findings
//! below the threshold pass and are listed in `<system-out>`. A plan without findings
//! gets one passing testcase so the suite is never empty.

use std::collections::BTreeMap;
use std::io;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::diagnostics::Diagnostic;
use crate::engine::{fail_on_str, Report};

/// XML 1.0 cannot carry most control characters, even escaped.
fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// Element text: only `<`, `>` and `&` need escaping there, which keeps quotes readable.
fn text(s: &str) -> BytesText<'static> {
    BytesText::from_escaped(quick_xml::escape::partial_escape(s).into_owned())
}

/// Attribute values are single-line.
fn attr_safe(s: &str) -> String {
    xml_safe(s).replace(['\n', '\r'], " ")
}

fn finding_text(d: &Diagnostic) -> String {
    let mut t = format!("{}[{}]", d.severity, d.rule);
    if d.unverifiable {
        t.push_str(" (unverifiable)");
    }
    if d.baselined {
        t.push_str(" (in baseline)");
    }
    t.push_str(&format!(": {}", d.message));
    if !d.also.is_empty() {
        t.push_str(&format!("\n  also: {}", d.also.join(", ")));
    }
    if let Some(a) = &d.attribute {
        t.push_str(&format!("\n  at {}.{a}", d.address));
    }
    if let Some(at) = &d.location {
        t.push_str(&format!("\n  --> {at}"));
    }
    if let Some(reason) = &d.suppressed {
        t.push_str(&format!("\n  suppressed: {reason}"));
    }
    if let Some(detail) = &d.detail {
        for line in detail.lines() {
            t.push_str(&format!("\n  | {line}"));
        }
    }
    if let Some(help) = &d.help {
        t.push_str(&format!("\n  help: {help}"));
    }
    t.push_str(&format!("\n  docs: {}", d.url));
    t
}

struct Case<'a> {
    rule: &'a str,
    address: &'a str,
    findings: Vec<&'a Diagnostic>,
}

fn write(report: &Report) -> io::Result<Vec<u8>> {
    let fail_on = report.summary.fail_on;
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;

    // Suites: one per plan; diagnostics with an out-of-range plan index land in suite 0.
    let suite_count = report.plans.len().max(1);
    let mut suites: Vec<BTreeMap<(&str, &str), Case>> =
        (0..suite_count).map(|_| BTreeMap::new()).collect();
    for d in &report.diagnostics {
        let s = if d.plan < suite_count { d.plan } else { 0 };
        suites[s]
            .entry((d.rule.as_str(), d.address.as_str()))
            .or_insert_with(|| Case {
                rule: &d.rule,
                address: &d.address,
                findings: Vec::new(),
            })
            .findings
            .push(d);
    }

    let total_tests: usize = suites.iter().map(|s| s.len().max(1)).sum();
    let failing = |c: &Case| c.findings.iter().any(|d| Report::reaches(d, fail_on));
    let skipped = |c: &Case| c.findings.iter().all(|d| d.suppressed.is_some());
    let total_failures: usize = suites
        .iter()
        .map(|s| s.values().filter(|c| failing(c)).count())
        .sum();

    w.create_element("testsuites")
        .with_attribute(("name", "ecsnet"))
        .with_attribute(("tests", total_tests.to_string().as_str()))
        .with_attribute(("failures", total_failures.to_string().as_str()))
        .with_attribute(("errors", "0"))
        .write_inner_content(|w| {
            for (i, cases) in suites.iter().enumerate() {
                let name = report
                    .plans
                    .get(i)
                    .map(|p| p.path.as_str())
                    .unwrap_or("ecsnet");
                let failures = cases.values().filter(|c| failing(c)).count();
                let skips = cases.values().filter(|c| !failing(c) && skipped(c)).count();
                w.create_element("testsuite")
                    .with_attribute(("name", attr_safe(name).as_str()))
                    .with_attribute(("tests", cases.len().max(1).to_string().as_str()))
                    .with_attribute(("failures", failures.to_string().as_str()))
                    .with_attribute(("errors", "0"))
                    .with_attribute(("skipped", skips.to_string().as_str()))
                    .write_inner_content(|w| {
                        w.create_element("properties").write_inner_content(|w| {
                            w.create_element("property")
                                .with_attribute(("name", "fail_on"))
                                .with_attribute(("value", fail_on_str(fail_on)))
                                .write_empty()?;
                            for note in &report.notes {
                                w.create_element("property")
                                    .with_attribute(("name", "note"))
                                    .with_attribute(("value", attr_safe(note).as_str()))
                                    .write_empty()?;
                            }
                            Ok(())
                        })?;
                        if cases.is_empty() {
                            w.create_element("testcase")
                                .with_attribute(("classname", "ecsnet"))
                                .with_attribute(("name", "no findings"))
                                .write_empty()?;
                        }
                        for c in cases.values() {
                            write_case(w, c, failing(c), skipped(c), fail_on_str(fail_on))?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    let mut out = w.into_inner();
    out.push(b'\n');
    Ok(out)
}

fn write_case<W: io::Write>(
    w: &mut Writer<W>,
    c: &Case,
    failing: bool,
    skipped: bool,
    fail_on: &str,
) -> io::Result<()> {
    let body: Vec<String> = c.findings.iter().map(|d| finding_text(d)).collect();
    let body = xml_safe(&body.join("\n\n"));
    let mut case = w
        .create_element("testcase")
        .with_attribute(("classname", c.rule))
        .with_attribute(("name", attr_safe(c.address).as_str()));
    // GitLab and Jenkins link a testcase to `file` (and `line`): the first finding's place.
    let place = c.findings.iter().find_map(|d| d.location.as_ref());
    let line = place.map(|at| at.line.to_string());
    if let (Some(at), Some(line)) = (place, &line) {
        case = case
            .with_attribute(("file", attr_safe(&at.file).as_str()))
            .with_attribute(("line", line.as_str()));
    }
    case.write_inner_content(|w| {
        if failing {
            let worst = c
                .findings
                .iter()
                .filter(|d| d.suppressed.is_none())
                .max_by_key(|d| d.severity)
                .copied()
                .unwrap_or(c.findings[0]);
            w.create_element("failure")
                .with_attribute(("message", attr_safe(&worst.message).as_str()))
                .with_attribute(("type", worst.severity.as_str()))
                .write_text_content(text(&body))?;
        } else if skipped {
            let reason = c.findings[0].suppressed.as_deref().unwrap_or("");
            w.create_element("skipped")
                .with_attribute((
                    "message",
                    attr_safe(&format!("suppressed: {reason}")).as_str(),
                ))
                .write_empty()?;
            w.create_element("system-out")
                .write_text_content(text(&body))?;
        } else {
            let note = format!("below fail-on {fail_on}:\n{body}");
            w.create_element("system-out")
                .write_text_content(text(&note))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// JUnit XML followed by a newline.
pub fn render(report: &Report) -> String {
    // Writing into a Vec cannot fail, and every piece written is UTF-8.
    let bytes = write(report).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FailOn;
    use crate::diagnostics::Severity;
    use crate::report::testing::sample;

    #[test]
    fn one_case_per_rule_and_address() {
        let x = render(&sample(FailOn::Severity(Severity::Error)));
        assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert_eq!(x.matches("<testcase ").count(), 4);
        assert_eq!(x.matches("<failure ").count(), 1, "{x}");
        assert!(
            x.contains(
                "classname=\"NET070\" name=\"module.app[&quot;blue&quot;].aws_ecs_service.api\""
            ),
            "{x}"
        );
        assert!(
            x.contains("<skipped message=\"suppressed: legacy: keeps port, 50% off, until Q3\"/>"),
            "{x}"
        );
        assert!(x.contains("needs 12 tasks (desired 6 × maximum_percent 200%)"));
        assert!(
            x.contains("<testsuite name=\"plans/prod plan.json\" tests=\"4\" failures=\"1\""),
            "{x}"
        );
    }

    #[test]
    fn fail_on_changes_failures() {
        let x = render(&sample(FailOn::Severity(Severity::Info)));
        // error, warning, unverifiable info fail; the suppressed one is skipped
        assert_eq!(x.matches("<failure ").count(), 3, "{x}");
        let x = render(&sample(FailOn::Never));
        assert_eq!(x.matches("<failure ").count(), 0);
    }

    #[test]
    fn empty_report_has_a_passing_case() {
        let r = Report::new(vec![], vec![], FailOn::Severity(Severity::Error));
        let x = render(&r);
        assert!(
            x.contains("<testcase classname=\"ecsnet\" name=\"no findings\"/>"),
            "{x}"
        );
    }

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(xml_safe("a\u{1}b\nc"), "a\u{fffd}b\nc");
        assert_eq!(attr_safe("a\nb"), "a b");
    }
}
