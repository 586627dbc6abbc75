//! JSON report, schema version 1 (documented in `docs/report-schema.md`).
//!
//! Every diagnostic carries every key (`null` / `[]` when empty) so consumers can rely on
//! the shape without probing.

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Location, LocationKind, Missing, Severity};
use crate::engine::Report;

// Keys come out in sorted order, as they always have: the report used to be rendered
// through a `serde_json::Value`, whose objects sort their keys. It is now serialized
// straight from these structs (no tree of the whole report on large plans), so their
// fields are declared in sorted order; `render_matches_the_value_form` checks both agree.
#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    notes: &'a [String],
    // Small structs declared elsewhere in their own field order: as values, their keys
    // are sorted like everything else in the document.
    plans: serde_json::Value,
    summary: serde_json::Value,
    tool: serde_json::Value,
    version: u32,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    address: &'a str,
    addresses: Vec<&'a str>,
    attribute: Option<&'a str>,
    baselined: bool,
    detail: Option<&'a str>,
    discriminator: Option<&'a str>,
    fingerprint: &'a str,
    help: Option<&'a str>,
    location: Option<&'a Location>,
    message: &'a str,
    missing: &'a [Missing],
    plan: usize,
    related: &'a [String],
    rule: &'a str,
    severity: Severity,
    suppressed: Option<&'a str>,
    unverifiable: bool,
    url: &'a str,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            rule: &d.rule,
            severity: d.severity,
            address: &d.address,
            addresses: std::iter::once(d.address.as_str())
                .chain(d.also.iter().map(String::as_str))
                .collect(),
            attribute: d.attribute.as_deref(),
            baselined: d.baselined,
            discriminator: d.discriminator.as_deref(),
            fingerprint: &d.fingerprint,
            message: &d.message,
            missing: &d.missing,
            detail: d.detail.as_deref(),
            help: d.help.as_deref(),
            location: d.location.as_ref(),
            url: &d.url,
            unverifiable: d.unverifiable,
            related: &d.related,
            suppressed: d.suppressed.as_deref(),
            plan: d.plan,
        }
    }
}

fn document(report: &Report) -> JsonReport<'_> {
    JsonReport {
        diagnostics: report
            .diagnostics
            .iter()
            .map(JsonDiagnostic::from)
            .collect(),
        ..document_without_diagnostics(report)
    }
}

/// [`document`] with an empty `diagnostics` array.
fn document_without_diagnostics(report: &Report) -> JsonReport<'_> {
    // Serializing plain structs of strings, numbers and bools cannot fail.
    let value = |v: Result<serde_json::Value, _>| v.unwrap_or(serde_json::Value::Null);
    JsonReport {
        diagnostics: Vec::new(),
        notes: &report.notes,
        plans: value(serde_json::to_value(&report.plans)),
        summary: value(serde_json::to_value(&report.summary)),
        tool: value(serde_json::to_value(&report.tool)),
        version: report.version,
    }
}

/// The report as a JSON value (used by the plugin server too).
pub fn to_value(report: &Report) -> serde_json::Value {
    serde_json::to_value(document(report)).unwrap_or(serde_json::Value::Null)
}

/// Pretty-printed JSON followed by a newline.
pub fn render(report: &Report) -> String {
    let mut s = String::new();
    let _ = write_pieces(report, PARALLEL_RENDER_MIN, BATCH, &mut |piece: &str| {
        s.push_str(piece);
        Ok(())
    });
    s
}

/// [`render`], handed to `sink` in pieces as it is written, so that a large report is
/// never held whole (200,000 findings make about 280 MB of JSON). Stops at the first error
/// of `sink`.
pub fn write_to(
    report: &Report,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_pieces(report, PARALLEL_RENDER_MIN, BATCH, sink)
}

/// Diagnostics from which [`render`] writes the array in pieces on several threads.
const PARALLEL_RENDER_MIN: usize = 1024;

/// Diagnostics written per thread between two calls of the sink.
const BATCH: usize = 2048;

/// How the document starts: its first key is `diagnostics` (keys are sorted).
const HEAD: &str = "{\n  \"diagnostics\": [";

fn write_pieces(
    report: &Report,
    min: usize,
    batch: usize,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if report.diagnostics.len() < min.max(1) {
        let mut s = serde_json::to_string_pretty(&document(report)).unwrap_or_default();
        s.push('\n');
        return sink(&s);
    }
    // Everything but the diagnostics, which are nearly all of a large report.
    let rest =
        serde_json::to_string_pretty(&document_without_diagnostics(report)).unwrap_or_default();
    let Some(rest) = rest.strip_prefix(HEAD).and_then(|r| r.strip_prefix(']')) else {
        let mut s = serde_json::to_string_pretty(&document(report)).unwrap_or_default();
        s.push('\n');
        return sink(&s);
    };
    // Each piece is written as serde_json's pretty printer writes those elements inside the
    // array: on lines of their own, two levels (four spaces) in, separated by commas
    // (`write_diagnostic`; `render_matches_the_value_form` checks the two agree).
    sink(HEAD)?;
    let threads = crate::par::threads().max(1);
    let mut first = true;
    for group in report.diagnostics.chunks(batch.max(1) * threads) {
        let chunks: Vec<&[Diagnostic]> = group.chunks(group.len().div_ceil(threads)).collect();
        let pieces = crate::par::map(&chunks, 1, |chunk| {
            // Sized up front: a piece of a large report is megabytes, which doubling would
            // copy (into fresh pages) about twenty times.
            let mut out = String::with_capacity(chunk.iter().map(json_size).sum());
            for d in chunk.iter() {
                if !out.is_empty() {
                    out.push(',');
                }
                write_diagnostic(&mut out, d);
            }
            out
        });
        for piece in &pieces {
            if !first {
                sink(",")?;
            }
            first = false;
            sink(piece)?;
        }
    }
    sink("\n  ]")?;
    sink(rest)?;
    sink("\n")
}

/// One finding as serde_json's pretty printer writes a [`JsonDiagnostic`] as an element of
/// the `diagnostics` array: a line break, the object four spaces in, its keys six spaces in
/// and in sorted order. Written by hand: on large reports this is most of the output, and
/// going through serde (then indenting its lines) took twice as long.
/// About the bytes [`write_diagnostic`] writes for `d`, or a little more: its strings with
/// an eighth more for escapes, and the keys, indentation and quotes around them.
fn json_size(d: &Diagnostic) -> usize {
    let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    let strings = d.address.len() * 2
        + d.also.iter().map(String::len).sum::<usize>()
        + opt(&d.attribute)
        + opt(&d.detail)
        + opt(&d.discriminator)
        + d.fingerprint.len()
        + opt(&d.help)
        + d.location.as_ref().map_or(0, |l| l.file.len())
        + d.message.len()
        + d.missing
            .iter()
            .map(|m| m.what.len() + m.supply.len())
            .sum::<usize>()
        + d.related.iter().map(String::len).sum::<usize>()
        + opt(&d.suppressed)
        + d.url.len();
    let items = d.also.len() + d.related.len() + d.missing.len() * 4;
    strings + strings / 8 + 640 + 16 * items
}

fn write_diagnostic(out: &mut String, d: &Diagnostic) {
    out.push_str("\n    {");
    key(out, "address", true);
    json_string(out, &d.address);
    key(out, "addresses", false);
    string_array(
        out,
        std::iter::once(d.address.as_str()).chain(d.also.iter().map(String::as_str)),
    );
    key(out, "attribute", false);
    json_opt_string(out, d.attribute.as_deref());
    key(out, "baselined", false);
    json_bool(out, d.baselined);
    key(out, "detail", false);
    json_opt_string(out, d.detail.as_deref());
    key(out, "discriminator", false);
    json_opt_string(out, d.discriminator.as_deref());
    key(out, "fingerprint", false);
    json_string(out, &d.fingerprint);
    key(out, "help", false);
    json_opt_string(out, d.help.as_deref());
    key(out, "location", false);
    match &d.location {
        None => out.push_str("null"),
        Some(l) => {
            out.push_str("{\n        \"file\": ");
            json_string(out, &l.file);
            out.push_str(",\n        \"line\": ");
            json_uint(out, u64::from(l.line));
            if let Some(c) = l.column {
                out.push_str(",\n        \"column\": ");
                json_uint(out, u64::from(c));
            }
            out.push_str(",\n        \"kind\": ");
            out.push_str(match l.kind {
                LocationKind::Source => "\"source\"",
                LocationKind::Plan => "\"plan\"",
            });
            out.push_str("\n      }");
        }
    }
    key(out, "message", false);
    json_string(out, &d.message);
    key(out, "missing", false);
    if d.missing.is_empty() {
        out.push_str("[]");
    } else {
        out.push('[');
        for (i, m) in d.missing.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("\n        {\n          \"what\": ");
            json_string(out, &m.what);
            out.push_str(",\n          \"supply\": ");
            json_string(out, &m.supply);
            out.push_str(",\n          \"kind\": ");
            json_string(out, m.kind.as_str());
            out.push_str("\n        }");
        }
        out.push_str("\n      ]");
    }
    key(out, "plan", false);
    json_uint(out, d.plan as u64);
    key(out, "related", false);
    string_array(out, d.related.iter().map(String::as_str));
    key(out, "rule", false);
    json_string(out, &d.rule);
    key(out, "severity", false);
    json_string(out, d.severity.as_str());
    key(out, "suppressed", false);
    json_opt_string(out, d.suppressed.as_deref());
    key(out, "unverifiable", false);
    json_bool(out, d.unverifiable);
    key(out, "url", false);
    json_string(out, &d.url);
    out.push_str("\n    }");
}

/// A key of a finding (six spaces in), after the comma that ends the previous entry.
fn key(out: &mut String, name: &str, first: bool) {
    out.push_str(if first { "\n      \"" } else { ",\n      \"" });
    out.push_str(name);
    out.push_str("\": ");
}

/// An array of strings that is the value of a key of a finding.
fn string_array<'s>(out: &mut String, items: impl Iterator<Item = &'s str>) {
    let mut any = false;
    for s in items {
        out.push_str(if any { ",\n        " } else { "[\n        " });
        any = true;
        json_string(out, s);
    }
    out.push_str(if any { "\n      ]" } else { "[]" });
}

fn json_uint(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&b| char::from(b)));
}

fn json_bool(out: &mut String, b: bool) {
    out.push_str(if b { "true" } else { "false" });
}

fn json_opt_string(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => json_string(out, s),
        None => out.push_str("null"),
    }
}

/// `s` as a JSON string, escaped as serde_json escapes it: `"`, `\\`, and the control
/// characters below U+0020 (`\b \t \n \f \r` by name, the others as `\u00xx`); nothing
/// else. The runs between those bytes are copied whole.
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(i) = next_escape(bytes, start) {
        out.push_str(&s[start..i]);
        let b = bytes[i];
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The first byte at or after `from` that a JSON string must escape: sixteen bytes at a
/// time where the target has SSE2 (every x86_64 does), the last few in the string's last
/// sixteen bytes (those before them already looked at); a string shorter than sixteen
/// bytes, and every string elsewhere, eight bytes at a time ([`next_escape_swar`]).
#[cfg(target_arch = "x86_64")]
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 16) {
        let mask = escape_mask16(chunk.try_into().ok()?);
        if mask != 0 {
            return Some(i + mask.trailing_zeros() as usize);
        }
        i += 16;
    }
    let left = bytes.len().checked_sub(i).filter(|&n| n > 0)?;
    match bytes.len().checked_sub(16) {
        Some(last) => {
            let mask = escape_mask16(bytes[last..].try_into().ok()?) >> (16 - left);
            (mask != 0).then(|| i + mask.trailing_zeros() as usize)
        }
        None => next_escape_swar(bytes, i),
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    next_escape_swar(bytes, from)
}

/// Bit k set when byte k of `chunk` must be escaped (exact: no false hits, unlike the
/// eight-byte arithmetic used on other targets). Most report strings are a few hundred
/// plain bytes, so this scan was most of the JSON report's instructions.
#[cfg(target_arch = "x86_64")]
fn escape_mask16(chunk: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline, and the unaligned load reads exactly the
    // sixteen bytes of `chunk`.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast());
        // min(v, 0x1f) == v exactly for the control characters below U+0020.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) as u32
    }
}

/// [`next_escape`] eight bytes at a time in a `u64`: a byte to escape sets its high bit in a
/// mask, the bytes after it maybe falsely, so the word is then looked at byte by byte (all
/// of them are ASCII, so the text before the byte ends on a character boundary).
fn next_escape_swar(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let needs = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    let mut i = from;
    while let Some(word) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w);
        // A byte below 0x20, or equal to '"' or '\\', sets its high bit in `hit` (bytes
        // after the first such one may be flagged falsely: they are looked at one by one).
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        let hit = (w.wrapping_sub(ONES * 0x20) & !w & HIGH)
            | zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * u64::from(b'\\')));
        if hit != 0 {
            if let Some(k) = word.iter().position(|&b| needs(b)) {
                return Some(i + k);
            }
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|&b| needs(b))
        .map(|k| i + k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FailOn;
    use crate::report::testing::sample;

    #[test]
    fn shape_is_stable() {
        let v = to_value(&sample(FailOn::Severity(Severity::Warning)));
        assert_eq!(v["version"], 1);
        assert_eq!(v["tool"]["name"], "ecsnet");
        assert_eq!(v["plans"][0]["path"], "plans/prod plan.json");
        let keys: Vec<&str> = v["diagnostics"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for k in [
            "rule",
            "severity",
            "address",
            "attribute",
            "message",
            "missing",
            "detail",
            "help",
            "url",
            "unverifiable",
            "related",
            "suppressed",
            "plan",
        ] {
            assert!(keys.contains(&k), "missing {k}");
        }
        assert_eq!(v["diagnostics"].as_array().unwrap().len(), 4);
        let sup = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| !d["suppressed"].is_null())
            .unwrap();
        assert_eq!(sup["rule"], "NET018");
        assert_eq!(v["summary"]["fail_on"], "warning");
        assert_eq!(v["summary"]["failed"], true);
        assert_eq!(v["summary"]["suppressed"], 1);
        assert!(render(&sample(FailOn::Never)).ends_with("}\n"));
    }

    /// The hand-written form of a finding (`write_diagnostic`) agrees with serde_json's on
    /// every kind of value: each escape, text around them at every offset of the eight-byte
    /// scan, non-ASCII text, empty and absent values, a location with and without a column.
    #[test]
    fn hand_written_findings_match_serde() {
        use crate::diagnostics::{LocationKind, MissingKind};
        let mut odd: Vec<String> = vec![
            String::new(),
            "plain".into(),
            "\"\\\u{8}\u{c}\n\r\t\u{0}\u{1f}\u{7f} é × 日本 🦀".into(),
            "module.a[\"k\"].aws_ecs_service.x".into(),
        ];
        for c in [
            '"', '\\', '\n', '\u{1}', '\u{1f}', ' ', '!', '#', '[', '\u{7f}', 'é',
        ] {
            for at in 0..18 {
                let mut t = "abcdefghijklmnopq".to_string();
                t.insert(at, c);
                odd.push(t);
            }
        }
        let mut report = sample(FailOn::Never);
        let base = report.diagnostics[0].clone();
        report.diagnostics.clear();
        for (i, t) in odd.iter().enumerate() {
            let mut d = base.clone();
            d.address = t.clone();
            d.message = format!("{t}{t}");
            d.detail = (i % 2 == 0).then(|| t.clone());
            d.also = (0..i % 3).map(|k| format!("{t}{k}")).collect();
            d.related = if i % 4 == 1 { vec![] } else { vec![t.clone()] };
            d.location = match i % 3 {
                0 => None,
                1 => Some(Location {
                    file: t.clone(),
                    line: i as u32,
                    column: Some(u32::MAX),
                    kind: LocationKind::Plan,
                }),
                _ => Some(Location {
                    file: "main.tf".into(),
                    line: 0,
                    column: None,
                    kind: LocationKind::Source,
                }),
            };
            d.missing = (0..i % 3)
                .map(|k| Missing::new(t.clone(), format!("{k}{t}"), MissingKind::ALL[k]))
                .collect();
            d.suppressed = (i % 5 == 0).then(|| t.clone());
            d.baselined = i % 2 == 1;
            d.unverifiable = i % 3 == 1;
            d.plan = i * 1_000_003;
            report.diagnostics.push(d);
        }
        // As serde_json writes the structs (a small report is written so): in their field
        // order, which for `location` and `missing` is not the sorted order of `to_value`.
        let via_serde = serde_json::to_string_pretty(&document(&report)).unwrap() + "\n";
        let mut s = String::new();
        write_pieces(&report, 1, 7, &mut |p: &str| {
            s.push_str(p);
            Ok(())
        })
        .unwrap();
        for (n, (a, b)) in s.lines().zip(via_serde.lines()).enumerate() {
            assert_eq!(a, b, "line {n}");
        }
        assert_eq!(s, via_serde);
    }

    /// The sixteen-byte scan finds the first byte to escape at or after where it starts:
    /// every byte value at every offset of texts one to forty bytes long (two chunks and a
    /// tail), after a plain or non-ASCII lead, and the same byte a second time further on.
    #[test]
    fn next_escape_finds_the_first_byte_to_escape() {
        let needs = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        for len in 1..=40 {
            for at in 0..len {
                for b in 0..=u8::MAX {
                    for lead in [b'a', 0xc3] {
                        let mut t = vec![lead; len];
                        t[at] = b;
                        if at + 17 < len {
                            t[at + 17] = b;
                        }
                        let want = t.iter().position(|&c| needs(c));
                        assert_eq!(next_escape(&t, 0), want, "{len} {at} {b}");
                        // From the byte itself, and from just after it (the bytes before
                        // `from` share the last sixteen-byte window with those after it).
                        for from in [at, at + 1] {
                            let want = t[from..].iter().position(|&c| needs(c)).map(|k| from + k);
                            assert_eq!(next_escape(&t, from), want, "{len} {at} {b} {from}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn render_matches_the_value_form() {
        for fail_on in [FailOn::Never, FailOn::Severity(Severity::Warning)] {
            let report = sample(fail_on);
            let via_value = serde_json::to_string_pretty(&to_value(&report)).unwrap() + "\n";
            assert_eq!(render(&report), via_value);
            // Written in batches of `batch` per thread: the same text.
            for (min, batch) in [(1, 1), (2, 1), (3, 2), (1, 3), (1, 2048)] {
                let mut s = String::new();
                let mut calls = 0;
                write_pieces(&report, min, batch, &mut |p: &str| {
                    s.push_str(p);
                    calls += 1;
                    Ok(())
                })
                .unwrap();
                assert_eq!(s, via_value, "{min} {batch}");
                assert!(calls > 1, "written in pieces");
            }
        }
    }
}
