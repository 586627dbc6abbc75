//! Making `terraform show -json` output reproducible without reformatting it.
//!
//! The plan JSON is kept byte for byte as Terraform printed it, except the values below,
//! which change on every run and are replaced by fixed ones.

/// What the top-level `timestamp` (when the plan was made) becomes.
pub const FIXED_TIMESTAMP: &str = "2026-01-01T00:00:00Z";

/// Top-level keys whose string value is replaced, with the replacement.
pub const VOLATILE_TOP_LEVEL: &[(&str, &str)] = &[("timestamp", FIXED_TIMESTAMP)];

/// Replaces the volatile top-level values of a plan JSON document. Everything else, spacing
/// and escapes included, stays as it was.
pub fn normalize_plan(json: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(json.len());
    let mut copied = 0;
    for (start, end, key) in top_level_string_values(json)? {
        if let Some((_, fixed)) = VOLATILE_TOP_LEVEL.iter().find(|(k, _)| *k == key) {
            out.extend_from_slice(&json[copied..start]);
            out.push(b'"');
            out.extend_from_slice(fixed.as_bytes());
            out.push(b'"');
            copied = end;
        }
    }
    out.extend_from_slice(&json[copied..]);
    Ok(out)
}

/// The byte spans (quotes included) of the string values of the top-level object, with
/// their keys. Keys with escapes are reported as written.
fn top_level_string_values(b: &[u8]) -> Result<Vec<(usize, usize, &str)>, String> {
    let bad = |what: &str, at: usize| format!("plan JSON: {what} at byte {at}");
    let mut found = Vec::new();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return Err(bad("expected an object", i));
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Ok(found);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return Err(bad("expected a key", i));
        }
        let key_end = skip_string(b, i).ok_or_else(|| bad("unterminated key", i))?;
        let key = std::str::from_utf8(&b[i + 1..key_end - 1]).map_err(|_| bad("bad key", i))?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return Err(bad("expected ':'", i));
        }
        i = skip_ws(b, i + 1);
        let value_end = skip_value(b, i).ok_or_else(|| bad("bad value", i))?;
        if b[i] == b'"' {
            found.push((i, value_end, key));
        }
        i = skip_ws(b, value_end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => return Ok(found),
            _ => return Err(bad("expected ',' or '}'", i)),
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// `b[i]` is `"`; returns the index just past the closing quote.
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Returns the index just past the value starting at `b[i]`.
fn skip_value(b: &[u8], mut i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            while i < b.len() {
                match b[i] {
                    b'"' => {
                        i = skip_string(b, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            let start = i;
            while i < b.len() && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                i += 1;
            }
            (i > start).then_some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_top_level_timestamp() {
        let plan = br#"{"format_version":"1.2","planned_values":{"timestamp":"x","a":["}",{"timestamp":"2025-05-05T10:00:00Z"}]},"timestamp":"2025-05-05T10:00:00Z","errored":false,"s":"\"}\u003c"}
"#;
        let out = normalize_plan(plan).unwrap();
        let expected = br#"{"format_version":"1.2","planned_values":{"timestamp":"x","a":["}",{"timestamp":"2025-05-05T10:00:00Z"}]},"timestamp":"2026-01-01T00:00:00Z","errored":false,"s":"\"}\u003c"}
"#;
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(expected.to_vec()).unwrap()
        );
    }

    #[test]
    fn leaves_documents_without_timestamp_alone() {
        let plan = b" { \"a\" : 1 , \"b\":[1,2] }\n";
        assert_eq!(normalize_plan(plan).unwrap(), plan.to_vec());
        assert_eq!(normalize_plan(b"{}").unwrap(), b"{}".to_vec());
    }

    #[test]
    fn rejects_what_is_not_an_object() {
        assert!(normalize_plan(b"[1]").is_err());
        assert!(normalize_plan(b"{\"a\":\"unterminated").is_err());
    }
}
