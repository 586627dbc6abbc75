//! `data "aws_iam_policy_document"`: a real JSON policy document from the statements.
//!
//! Shape as the real provider writes it (its data source documentation and outputs): Version
//! (default 2012-10-17), optional Id, Statement list; in each statement Sid (when set),
//! Effect (default Allow), Action/NotAction, Resource/NotResource, Principal/NotPrincipal,
//! Condition; a one-element list is written as a plain string, longer lists sorted in
//! descending order; principal type `*` with identifier `*` is written `"*"`. `json` is
//! indented with two spaces, `minified_json` compact. Statements of
//! `source_policy_documents` come first; a configured statement with the same Sid replaces
//! one; `override_policy_documents` replace by Sid or append.

use serde_json::{json, Map, Value as Json};

use crate::codec::Value;

const KEY_ORDER: &[&str] = &[
    "Version",
    "Id",
    "Statement",
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

/// The policy document of a data source configuration.
pub fn document(cfg: &Value) -> Result<Json, String> {
    let mut statements: Vec<Json> = Vec::new();
    for src in cfg
        .get("source_policy_documents")
        .strings()
        .iter()
        .chain(cfg.get("source_json").as_str().map(str::to_owned).as_ref())
    {
        statements.extend(doc_statements(src)?);
    }
    for st in cfg.get("statement").as_list().unwrap_or_default() {
        merge_by_sid(&mut statements, statement(st));
    }
    for ovr in cfg.get("override_policy_documents").strings().iter().chain(
        cfg.get("override_json")
            .as_str()
            .map(str::to_owned)
            .as_ref(),
    ) {
        for st in doc_statements(ovr)? {
            merge_by_sid(&mut statements, st);
        }
    }
    let mut doc = Map::new();
    doc.insert(
        "Version".into(),
        Json::from(
            cfg.get("version")
                .as_str()
                .filter(|v| !v.is_empty())
                .unwrap_or("2012-10-17"),
        ),
    );
    if let Some(id) = cfg.get("policy_id").as_str().filter(|v| !v.is_empty()) {
        doc.insert("Id".into(), Json::from(id));
    }
    doc.insert("Statement".into(), Json::Array(statements));
    Ok(Json::Object(doc))
}

fn doc_statements(text: &str) -> Result<Vec<Json>, String> {
    let j: Json =
        serde_json::from_str(text).map_err(|e| format!("invalid policy document JSON: {e}"))?;
    Ok(match j.get("Statement") {
        Some(Json::Array(a)) => a.clone(),
        Some(o @ Json::Object(_)) => vec![o.clone()],
        _ => Vec::new(),
    })
}

fn merge_by_sid(statements: &mut Vec<Json>, st: Json) {
    let sid = st
        .get("Sid")
        .and_then(Json::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(sid) = sid {
        if let Some(slot) = statements
            .iter_mut()
            .find(|s| s.get("Sid").and_then(Json::as_str) == Some(sid.as_str()))
        {
            *slot = st;
            return;
        }
    }
    statements.push(st);
}

/// A one-element list as a string; more, sorted descending.
fn string_or_list(mut items: Vec<String>) -> Json {
    items.sort();
    items.dedup();
    if items.len() == 1 {
        return Json::from(items.remove(0));
    }
    items.reverse();
    Json::from(items)
}

fn principals(blocks: &Value) -> Option<Json> {
    let list = blocks.as_list().filter(|l| !l.is_empty())?;
    let mut out = Map::new();
    for p in list {
        let ty = p.get("type").as_str().unwrap_or_default().to_owned();
        let ids = p.get("identifiers").strings();
        if ty == "*" && ids.iter().any(|i| i == "*") {
            return Some(Json::from("*"));
        }
        let entry = out.entry(ty).or_insert(Json::Array(Vec::new()));
        let mut all: Vec<String> = match entry {
            Json::Array(a) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            Json::String(s) => vec![s.clone()],
            _ => Vec::new(),
        };
        all.extend(ids);
        *entry = string_or_list(all);
    }
    Some(Json::Object(out))
}

fn statement(st: &Value) -> Json {
    let mut out = Map::new();
    if let Some(sid) = st.get("sid").as_str().filter(|s| !s.is_empty()) {
        out.insert("Sid".into(), Json::from(sid));
    }
    out.insert(
        "Effect".into(),
        Json::from(
            st.get("effect")
                .as_str()
                .filter(|e| !e.is_empty())
                .unwrap_or("Allow"),
        ),
    );
    for (attr, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        let items = st.get(attr).strings();
        if !items.is_empty() {
            out.insert(key.into(), string_or_list(items));
        }
    }
    if let Some(p) = principals(st.get("principals")) {
        out.insert("Principal".into(), p);
    }
    if let Some(p) = principals(st.get("not_principals")) {
        out.insert("NotPrincipal".into(), p);
    }
    let conds = st.get("condition").as_list().unwrap_or_default();
    if !conds.is_empty() {
        let mut by_test = Map::new();
        for c in conds {
            let test = c.get("test").as_str().unwrap_or_default().to_owned();
            let var = c.get("variable").as_str().unwrap_or_default().to_owned();
            let values = c.get("values").strings();
            let v = if values.len() == 1 {
                json!(values[0])
            } else {
                json!(values)
            };
            if let Json::Object(m) = by_test.entry(test).or_insert(Json::Object(Map::new())) {
                m.insert(var, v);
            }
        }
        out.insert("Condition".into(), Json::Object(by_test));
    }
    Json::Object(out)
}

fn key_rank(k: &str) -> (usize, &str) {
    (
        KEY_ORDER
            .iter()
            .position(|o| *o == k)
            .unwrap_or(KEY_ORDER.len()),
        k,
    )
}

fn write(j: &Json, indent: Option<usize>, out: &mut String) {
    let nl = |out: &mut String, depth: usize| {
        if let Some(step) = indent {
            out.push('\n');
            out.push_str(&" ".repeat(step * depth));
        }
    };
    fn go(
        j: &Json,
        depth: usize,
        indent: Option<usize>,
        out: &mut String,
        nl: &dyn Fn(&mut String, usize),
    ) {
        match j {
            Json::Array(a) if a.is_empty() => out.push_str("[]"),
            Json::Object(m) if m.is_empty() => out.push_str("{}"),
            Json::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    go(v, depth + 1, indent, out, nl);
                }
                nl(out, depth);
                out.push(']');
            }
            Json::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort_by_key(|k| key_rank(k));
                out.push('{');
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    nl(out, depth + 1);
                    out.push_str(&Json::from(k.as_str()).to_string());
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    go(&m[*k], depth + 1, indent, out, nl);
                }
                nl(out, depth);
                out.push('}');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    go(j, 0, indent, out, &nl);
}

/// Two-space indented, keys in the provider's order.
pub fn pretty(doc: &Json) -> String {
    let mut s = String::new();
    write(doc, Some(2), &mut s);
    s
}

/// Compact, keys in the provider's order.
pub fn minified(doc: &Json) -> String {
    let mut s = String::new();
    write(doc, None, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::object;

    fn strs(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| Value::string(*s)).collect())
    }

    #[test]
    fn assume_role_document() {
        let cfg = object([(
            "statement",
            Value::List(vec![object([
                ("actions", strs(&["sts:AssumeRole"])),
                (
                    "principals",
                    Value::List(vec![object([
                        ("type", Value::string("Service")),
                        ("identifiers", strs(&["ecs-tasks.amazonaws.com"])),
                    ])]),
                ),
            ])]),
        )]);
        let doc = document(&cfg).unwrap();
        assert_eq!(
            minified(&doc),
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ecs-tasks.amazonaws.com"}}]}"#
        );
        assert!(pretty(&doc)
            .starts_with("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n"));
    }

    #[test]
    fn lists_conditions_and_merging() {
        let cfg = object([
            (
                "source_policy_documents",
                strs(&[
                    r#"{"Statement":[{"Sid":"A","Effect":"Deny","Action":"x:*","Resource":"*"}]}"#,
                ]),
            ),
            (
                "statement",
                Value::List(vec![object([
                    ("sid", Value::string("A")),
                    (
                        "actions",
                        strs(&["logs:PutLogEvents", "logs:CreateLogStream"]),
                    ),
                    ("resources", strs(&["*"])),
                    (
                        "condition",
                        Value::List(vec![object([
                            ("test", Value::string("StringEquals")),
                            ("variable", Value::string("aws:SourceAccount")),
                            ("values", strs(&["123456789012"])),
                        ])]),
                    ),
                ])]),
            ),
        ]);
        let doc = document(&cfg).unwrap();
        let st = &doc["Statement"];
        assert_eq!(st.as_array().unwrap().len(), 1, "same Sid replaced: {doc}");
        assert_eq!(
            st[0]["Action"],
            json!(["logs:PutLogEvents", "logs:CreateLogStream"])
        );
        assert_eq!(
            st[0]["Condition"]["StringEquals"]["aws:SourceAccount"],
            json!("123456789012")
        );
        assert!(document(&object([("source_policy_documents", strs(&["{"]))])).is_err());
    }
}
