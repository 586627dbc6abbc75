//! Making `terraform show -json` output reproducible without reformatting it.
//!
//! The plan JSON is kept byte for byte as Terraform printed it, except what changes from one
//! run to the next with the same sources, which is made fixed:
//!
//! - the top-level `timestamp` (when the plan was made) becomes [`FIXED_TIMESTAMP`];
//! - the top-level `relevant_attributes`: Terraform 1.11 lists these `{"resource",
//!   "attribute"}` objects in the order its graph walk found them (later releases sort them);
//!   they are sorted by their JSON text;
//! - `references` arrays in `configuration`: for a block written for an attribute of a list
//!   of objects (`ingress` of `aws_security_group`, `route` of `aws_route_table`...),
//!   Terraform lists the references of the block's arguments in Go map order. Each reference
//!   is followed by the shorter ones it implies (`aws_vpc.main.id`, `aws_vpc.main`); these
//!   groups are sorted, each kept as written, so "longest first" still holds;
//! - `child_modules` in `planned_values` and `prior_state`: Terraform 1.11 mostly lists
//!   them by address, but not in every run (`module.stack.module.service["gateway"]` came
//!   before `module.stack.module.asg` in one run of the same sources); they are sorted by
//!   address, at every level;
//! - the `id` of a `terraform_data` resource, a random UUID made at apply (so it shows in
//!   update plans), becomes `00000000-0000-0000-0000-<n>`, numbered by address, everywhere
//!   it appears.

use std::collections::BTreeSet;

use serde_json::Value;

/// What the top-level `timestamp` becomes.
pub const FIXED_TIMESTAMP: &str = "2026-01-01T00:00:00Z";

/// Makes a plan JSON document reproducible (see the module documentation). Everything not
/// listed there, spacing and escapes included, stays as it was.
pub fn normalize_plan(json: &[u8]) -> Result<Vec<u8>, String> {
    let mut edits = Vec::new();
    let (members, _) = object_members(json, skip_ws(json, 0))?;
    for (key, start, end) in members {
        let value = &json[start..end];
        match key {
            "timestamp" if value.starts_with(b"\"") => {
                edits.push((start, end, format!("\"{FIXED_TIMESTAMP}\"").into_bytes()));
            }
            "relevant_attributes" if value.starts_with(b"[") => {
                let (elements, _) = array_elements(json, start)?;
                let mut sorted: Vec<&[u8]> = elements.iter().map(|&(s, e)| &json[s..e]).collect();
                sorted.sort();
                edits.push((start, end, compact_array(&sorted)));
            }
            "configuration" => reference_edits(json, start, &mut edits)?,
            "planned_values" => root_module_edit(json, start, &[], &mut edits)?,
            "prior_state" => root_module_edit(json, start, &["values"], &mut edits)?,
            _ => {}
        }
    }
    let out = apply_edits(json, edits);
    renumber_terraform_data_ids(out)
}

/// The edit that sorts the child modules of the `root_module` found under the object at
/// `start` through the members `path` (none when the object is missing or not one).
fn root_module_edit(
    b: &[u8],
    start: usize,
    path: &[&str],
    edits: &mut Vec<Edit>,
) -> Result<(), String> {
    let mut at = start;
    for key in path.iter().chain(&["root_module"]) {
        if b.get(at) != Some(&b'{') {
            return Ok(());
        }
        let (members, _) = object_members(b, at)?;
        match members.iter().find(|m| m.0 == *key) {
            Some(&(_, s, _)) => at = s,
            None => return Ok(()),
        }
    }
    if b.get(at) != Some(&b'{') {
        return Ok(());
    }
    let (_, end) = object_members(b, at)?;
    edits.push((at, end, sorted_child_modules(b, at, end)?));
    Ok(())
}

/// The module object at `start..end` with its `child_modules` (and theirs) sorted by
/// address: Terraform 1.11 mostly lists them so, but not in every run.
fn sorted_child_modules(b: &[u8], start: usize, end: usize) -> Result<Vec<u8>, String> {
    let (members, _) = object_members(b, start)?;
    let Some(&(_, s, e)) = members.iter().find(|m| m.0 == "child_modules") else {
        return Ok(b[start..end].to_vec());
    };
    if b.get(s) != Some(&b'[') {
        return Ok(b[start..end].to_vec());
    }
    let (elements, _) = array_elements(b, s)?;
    let mut children = Vec::with_capacity(elements.len());
    for (cs, ce) in elements {
        if b.get(cs) != Some(&b'{') {
            return Err(format!(
                "plan JSON: a child module that is not an object at byte {cs}"
            ));
        }
        let (child, _) = object_members(b, cs)?;
        let address = child
            .iter()
            .find(|m| m.0 == "address")
            .and_then(|&(_, a, z)| serde_json::from_slice::<String>(&b[a..z]).ok())
            .unwrap_or_default();
        children.push((address, sorted_child_modules(b, cs, ce)?));
    }
    // Stable: modules without an address keep their order.
    children.sort_by(|x, y| x.0.cmp(&y.0));
    let parts: Vec<&[u8]> = children.iter().map(|c| c.1.as_slice()).collect();
    let mut out = b[start..s].to_vec();
    out.extend_from_slice(&compact_array(&parts));
    out.extend_from_slice(&b[e..end]);
    Ok(out)
}

/// Replace the bytes from .0 to .1 by .2.
type Edit = (usize, usize, Vec<u8>);

/// An object member: its key as written, and its value's span.
type Member<'a> = (&'a str, usize, usize);

fn apply_edits(json: &[u8], mut edits: Vec<Edit>) -> Vec<u8> {
    edits.sort_by_key(|e| e.0);
    let mut out = Vec::with_capacity(json.len());
    let mut copied = 0;
    for (start, end, replacement) in edits {
        out.extend_from_slice(&json[copied..start]);
        out.extend_from_slice(&replacement);
        copied = end;
    }
    out.extend_from_slice(&json[copied..]);
    out
}

fn compact_array(elements: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![b'['];
    for (n, e) in elements.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(e);
    }
    out.push(b']');
    out
}

/// Walks the value at `b[i]` and records, for every `references` array of strings in it,
/// the same array with its reference groups sorted.
fn reference_edits(b: &[u8], i: usize, edits: &mut Vec<Edit>) -> Result<(), String> {
    match b.get(i) {
        Some(b'{') => {
            for (key, start, end) in object_members(b, i)?.0 {
                if key == "references" && b[start] == b'[' {
                    let (elements, _) = array_elements(b, start)?;
                    let strings: Vec<&[u8]> = elements.iter().map(|&(s, e)| &b[s..e]).collect();
                    if strings.iter().all(|s| s.starts_with(b"\"")) {
                        let sorted = sorted_reference_groups(&strings);
                        if sorted != strings {
                            edits.push((start, end, compact_array(&sorted)));
                        }
                    }
                } else if key != "constant_value" {
                    reference_edits(b, start, edits)?;
                }
            }
        }
        Some(b'[') => {
            for (start, _) in array_elements(b, i)?.0 {
                reference_edits(b, start, edits)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `references` (JSON strings, quotes included) cut into groups, each a reference followed
/// by the shorter references it implies (those it starts with, up to a `.` or `[`), and the
/// groups sorted.
fn sorted_reference_groups<'a>(references: &[&'a [u8]]) -> Vec<&'a [u8]> {
    let mut groups: Vec<Vec<&[u8]>> = Vec::new();
    for r in references {
        let inner = &r[1..r.len() - 1];
        let implied = groups.last().is_some_and(|g| {
            let head = &g[0][1..g[0].len() - 1];
            head.len() > inner.len()
                && head.starts_with(inner)
                && matches!(head[inner.len()], b'.' | b'[')
        });
        match groups.last_mut() {
            Some(g) if implied => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    groups.sort();
    groups.concat()
}

/// Replaces each `terraform_data` id (a random UUID) by `00000000-0000-0000-0000-<n>`, `n`
/// counting the (address, id) pairs in order, wherever the quoted id appears.
fn renumber_terraform_data_ids(json: Vec<u8>) -> Result<Vec<u8>, String> {
    if !json.windows(16).any(|w| w == b"\"terraform_data\"") {
        return Ok(json);
    }
    let doc: Value = serde_json::from_slice(&json).map_err(|e| format!("plan JSON: {e}"))?;
    let mut ids = BTreeSet::new();
    collect_terraform_data_ids(&doc, &mut ids);
    let mut out = json;
    for (n, (_, id)) in ids.iter().enumerate() {
        let from = serde_json::to_vec(&Value::String(id.clone())).map_err(|e| e.to_string())?;
        let to = format!("\"00000000-0000-0000-0000-{:012}\"", n + 1).into_bytes();
        out = replace_all(&out, &from, &to);
    }
    Ok(out)
}

/// (address, id) of every `terraform_data` object (`type` and `address` keys) with a known
/// id in its `values`, `change.before` or `change.after`.
fn collect_terraform_data_ids(v: &Value, ids: &mut BTreeSet<(String, String)>) {
    match v {
        Value::Object(o) => {
            if let (Some("terraform_data"), Some(address)) = (
                o.get("type").and_then(Value::as_str),
                o.get("address").and_then(Value::as_str),
            ) {
                let values = [
                    o.get("values"),
                    o.get("change").and_then(|c| c.get("before")),
                    o.get("change").and_then(|c| c.get("after")),
                ];
                for id in values.into_iter().flatten().filter_map(|v| v.get("id")) {
                    if let Some(id) = id.as_str().filter(|s| !s.is_empty()) {
                        ids.insert((address.to_owned(), id.to_owned()));
                    }
                }
            }
            o.values().for_each(|v| collect_terraform_data_ids(v, ids));
        }
        Value::Array(a) => a.iter().for_each(|v| collect_terraform_data_ids(v, ids)),
        _ => {}
    }
}

fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// The members of the object at `b[i]`: key (as written) and value span; and the index just
/// past the object.
fn object_members(b: &[u8], mut i: usize) -> Result<(Vec<Member<'_>>, usize), String> {
    let bad = |what: &str, at: usize| format!("plan JSON: {what} at byte {at}");
    let mut members = Vec::new();
    if b.get(i) != Some(&b'{') {
        return Err(bad("expected an object", i));
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Ok((members, i + 1));
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
        members.push((key, i, value_end));
        i = skip_ws(b, value_end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => return Ok((members, i + 1)),
            _ => return Err(bad("expected ',' or '}'", i)),
        }
    }
}

/// The element spans of the array at `b[i]`, and the index just past the array.
fn array_elements(b: &[u8], mut i: usize) -> Result<(Vec<(usize, usize)>, usize), String> {
    let bad = |at: usize| format!("plan JSON: bad array at byte {at}");
    let mut elements = Vec::new();
    if b.get(i) != Some(&b'[') {
        return Err(bad(i));
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b']') {
        return Ok((elements, i + 1));
    }
    loop {
        let end = skip_value(b, i).ok_or_else(|| bad(i))?;
        elements.push((i, end));
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b']') => return Ok((elements, i + 1)),
            _ => return Err(bad(i)),
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
    fn sorts_the_top_level_relevant_attributes() {
        let plan = br#"{"relevant_attributes":[{"resource":"b","attribute":["id"]},{"resource":"a","attribute":["x",0]},{"resource":"a","attribute":["id"]}],"x":{"relevant_attributes":[2,1]},"y":[]}"#;
        let out = normalize_plan(plan).unwrap();
        let expected = br#"{"relevant_attributes":[{"resource":"a","attribute":["id"]},{"resource":"a","attribute":["x",0]},{"resource":"b","attribute":["id"]}],"x":{"relevant_attributes":[2,1]},"y":[]}"#;
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(expected.to_vec()).unwrap()
        );
        let empty = br#"{"relevant_attributes":[]}"#;
        assert_eq!(normalize_plan(empty).unwrap(), empty.to_vec());
    }

    #[test]
    fn sorts_child_modules_by_address_at_every_level() {
        let plan = br#"{"planned_values":{"outputs":{},"root_module":{"resources":[],"child_modules":[{"address":"module.s","child_modules":[{"address":"module.s.module.svc[\"gw\"]","resources":[1]},{"address":"module.s.module.asg","resources":[2]}]},{"address":"module.a"}]}},"prior_state":{"values":{"root_module":{"child_modules":[{"address":"module.z"},{"address":"module.b"}]}}},"configuration":{"root_module":{"child_modules":[{"address":"module.z"},{"address":"module.b"}]}}}"#;
        let out = String::from_utf8(normalize_plan(plan).unwrap()).unwrap();
        let expected = r#"{"planned_values":{"outputs":{},"root_module":{"resources":[],"child_modules":[{"address":"module.a"},{"address":"module.s","child_modules":[{"address":"module.s.module.asg","resources":[2]},{"address":"module.s.module.svc[\"gw\"]","resources":[1]}]}]}},"prior_state":{"values":{"root_module":{"child_modules":[{"address":"module.b"},{"address":"module.z"}]}}},"configuration":{"root_module":{"child_modules":[{"address":"module.z"},{"address":"module.b"}]}}}"#;
        assert_eq!(out, expected);
        // Sorted already, or no child modules: byte for byte as it was.
        for same in [
            &br#"{"planned_values":{"root_module":{"child_modules":[{"address":"module.a"},{"address":"module.b"}]}}}"#[..],
            &br#"{"planned_values":{"root_module":{}},"prior_state":{"format_version":"1.0"}}"#[..],
        ] {
            assert_eq!(normalize_plan(same).unwrap(), same.to_vec());
        }
    }

    #[test]
    fn sorts_reference_groups_in_the_configuration_only() {
        let plan = br#"{"configuration":{"root_module":{"resources":[{"expressions":{"ingress":{"references":["var.port","aws_vpc.main.cidr_block","aws_vpc.main","module.a[\"x\"].b","module.a[\"x\"]","module.a","var.port"]},"name":{"references":["var.b","var.a"]},"n":{"constant_value":{"references":["z","a"]}}}}]}},"x":{"references":["b","a"]}}"#;
        let out = String::from_utf8(normalize_plan(plan).unwrap()).unwrap();
        assert!(out.contains(r#""ingress":{"references":["aws_vpc.main.cidr_block","aws_vpc.main","module.a[\"x\"].b","module.a[\"x\"]","module.a","var.port","var.port"]}"#), "{out}");
        assert!(
            out.contains(r#""name":{"references":["var.a","var.b"]}"#),
            "{out}"
        );
        // Not a references array of strings, or outside the configuration: unchanged.
        assert!(
            out.contains(r#""constant_value":{"references":["z","a"]}"#),
            "{out}"
        );
        assert!(out.ends_with(r#""x":{"references":["b","a"]}}"#), "{out}");
    }

    #[test]
    fn numbers_terraform_data_ids_by_address() {
        let plan = br#"{"prior_state":{"values":{"root_module":{"resources":[{"address":"terraform_data.b","type":"terraform_data","values":{"id":"9f1c-b"}},{"address":"terraform_data.a","type":"terraform_data","values":{"id":"77aa-a"}}]}}},"resource_changes":[{"address":"terraform_data.a","type":"terraform_data","change":{"before":{"id":"77aa-a"},"after":{"input":"77aa-a"}}}]}"#;
        let out = String::from_utf8(normalize_plan(plan).unwrap()).unwrap();
        assert!(!out.contains("77aa-a") && !out.contains("9f1c-b"), "{out}");
        assert_eq!(
            out.matches("00000000-0000-0000-0000-000000000001").count(),
            3,
            "{out}"
        );
        assert!(out.contains(r#""address":"terraform_data.b","type":"terraform_data","values":{"id":"00000000-0000-0000-0000-000000000002"}"#), "{out}");
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
