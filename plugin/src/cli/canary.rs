//! Generated test: no command or format prints a value Terraform marks sensitive, wherever the
//! value sits in a resource.
//!
//! The attributes are enumerated, not listed by hand: every string and number leaf of every
//! resource of the kinds the model reads ([`crate::plan::INTERESTING_TYPES`]) in real plans
//! made by Terraform (every plan of `testdata/scenarios`), including the leaves of the container
//! definitions JSON inside `container_definitions`. One occurrence of each (type, path) is
//! taken (list positions folded), so a new attribute in a fixture is covered without
//! editing this file. For each, in turn, the plan is changed to hold a canary there (a string
//! or a number that nowhere else in the output appears) marked sensitive exactly at that
//! path (the whole `container_definitions` for leaves inside it, as Terraform marks it), and
//! every plan-reading output is produced: `check` in each format, `inventory` in text and
//! JSON, `capacity` in text and JSON, or the error when the plan is refused. The canary
//! must appear in none. The same canary without the mark must show up somewhere for many
//! attributes, which proves the search would see a leak.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::config::Config;
use crate::engine::{self, CheckOptions};
use crate::plan::{self, LoadOptions};
use crate::report::{self, Format, RenderOptions};

/// Every scenario plan, in a fixed order (the sample first: the widest spread of types).
fn plans() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/scenarios");
    let mut out = Vec::new();
    for topic in std::fs::read_dir(&root).unwrap().flatten() {
        for scenario in std::fs::read_dir(topic.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            for f in std::fs::read_dir(scenario.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let name = f.file_name().to_string_lossy().into_owned();
                if name.starts_with("plan") && name.ends_with(".json") {
                    out.push(f.path());
                }
            }
        }
    }
    out.sort_by_key(|p| (!p.ends_with("sample/shop/plan.json"), p.clone()));
    out
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// Where a leaf is: which resource body (a JSON pointer to the object holding `values` and
/// the sensitivity marks), the path inside the values, and for a leaf inside
/// `container_definitions`, the path inside the decoded JSON.
#[derive(Debug, Clone)]
struct Leaf {
    body: String,
    values_key: &'static str,
    marks_key: &'static str,
    path: Vec<Step>,
    inner: Option<Vec<Step>>,
    /// `type path` with list positions folded, for reports.
    label: String,
}

fn fold(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(_) => "[]".to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Every string or number leaf below `v`, with its path.
fn leaves(v: &Value, path: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, Value)>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                path.push(Step::Key(k.clone()));
                leaves(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(Step::Index(i));
                leaves(x, path, out);
                path.pop();
            }
        }
        Value::String(s) if !s.is_empty() => out.push((path.clone(), v.clone())),
        Value::Number(_) => out.push((path.clone(), v.clone())),
        _ => {}
    }
}

fn at_mut<'a>(mut v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    for s in path {
        v = match s {
            Step::Key(k) => v.get_mut(k.as_str())?,
            Step::Index(i) => v.get_mut(*i)?,
        };
    }
    Some(v)
}

/// Marks `path` sensitive in a Terraform sensitivity tree (`after_sensitive`), building the
/// objects and lists on the way as Terraform writes them.
fn mark(marks: &mut Value, path: &[Step]) {
    let Some((first, rest)) = path.split_first() else {
        *marks = Value::Bool(true);
        return;
    };
    match first {
        Step::Key(k) => {
            if !marks.is_object() {
                *marks = json!({});
            }
            let o = marks.as_object_mut().unwrap();
            mark(o.entry(k.clone()).or_insert(Value::Bool(false)), rest);
        }
        Step::Index(i) => {
            if !marks.is_array() {
                *marks = json!([]);
            }
            let a = marks.as_array_mut().unwrap();
            while a.len() <= *i {
                a.push(Value::Bool(false));
            }
            mark(&mut a[*i], rest);
        }
    }
}

/// The resource bodies of a plan whose values ecsnet reads: changes (`after`), and the data
/// sources of `prior_state` (`values`).
fn bodies(plan: &Value) -> Vec<(String, &'static str, &'static str, String)> {
    let mut out = Vec::new();
    if let Some(rcs) = plan["resource_changes"].as_array() {
        for (i, rc) in rcs.iter().enumerate() {
            let t = rc["type"].as_str().unwrap_or("").to_string();
            if plan::is_interesting(&t) && rc["change"]["after"].is_object() {
                let body = format!("/resource_changes/{i}/change");
                out.push((body, "after", "after_sensitive", t));
            }
        }
    }
    fn module(m: &Value, at: String, out: &mut Vec<(String, &'static str, &'static str, String)>) {
        if let Some(rs) = m["resources"].as_array() {
            for (i, r) in rs.iter().enumerate() {
                let t = r["type"].as_str().unwrap_or("").to_string();
                if r["mode"] == "data" && plan::is_interesting(&t) && r["values"].is_object() {
                    out.push((
                        format!("{at}/resources/{i}"),
                        "values",
                        "sensitive_values",
                        t,
                    ));
                }
            }
        }
        if let Some(cs) = m["child_modules"].as_array() {
            for (i, c) in cs.iter().enumerate() {
                module(c, format!("{at}/child_modules/{i}"), out);
            }
        }
    }
    module(
        &plan["prior_state"]["values"]["root_module"],
        "/prior_state/values/root_module".to_string(),
        &mut out,
    );
    out
}

/// One leaf per (type, folded path) of `plan`, skipping those in `seen`.
fn plan_leaves(plan: &Value, seen: &mut BTreeSet<String>) -> Vec<Leaf> {
    let mut out = Vec::new();
    for (body, values_key, marks_key, type_) in bodies(plan) {
        let values = &plan.pointer(&body).unwrap()[values_key];
        let mut found = Vec::new();
        leaves(values, &mut Vec::new(), &mut found);
        for (path, v) in found {
            let decoded = (path.len() == 1 && path[0] == Step::Key("container_definitions".into()))
                .then(|| {
                    v.as_str()
                        .and_then(|s| serde_json::from_str::<Value>(s).ok())
                })
                .flatten();
            let mut inner_found = Vec::new();
            match &decoded {
                Some(d) => leaves(d, &mut Vec::new(), &mut inner_found),
                None => inner_found.push((Vec::new(), v.clone())),
            }
            for (inner, _) in inner_found {
                let label = format!("{type_} {}", fold(&path))
                    + &if decoded.is_some() {
                        format!(" > {}", fold(&inner))
                    } else {
                        String::new()
                    };
                if seen.insert(label.clone()) {
                    out.push(Leaf {
                        body: body.clone(),
                        values_key,
                        marks_key,
                        path: path.clone(),
                        inner: decoded.is_some().then(|| inner.clone()),
                        label,
                    });
                }
            }
        }
    }
    out
}

/// `plan` with the canary at `leaf`, marked sensitive when `sensitive`.
fn with_canary(plan: &Value, leaf: &Leaf, canary: &Value, sensitive: bool) -> Vec<u8> {
    let mut p = plan.clone();
    let body = p.pointer_mut(&leaf.body).unwrap();
    let target = at_mut(&mut body[leaf.values_key], &leaf.path).unwrap();
    match &leaf.inner {
        None => *target = canary.clone(),
        Some(inner) => {
            let mut decoded: Value = serde_json::from_str(target.as_str().unwrap()).unwrap();
            *at_mut(&mut decoded, inner).unwrap() = canary.clone();
            *target = Value::String(decoded.to_string());
        }
    }
    if sensitive {
        let marks = &mut body[leaf.marks_key];
        if marks.is_null() {
            *marks = json!({});
        }
        mark(marks, &leaf.path);
    }
    serde_json::to_vec(&p).unwrap()
}

/// Everything the plan-reading commands print for `bytes`, or the error.
fn every_output(bytes: &[u8]) -> Vec<String> {
    let plan = match plan::parse_bytes(bytes, "canary.json", &LoadOptions::default()) {
        Ok(p) => p,
        Err(e) => return vec![e.message],
    };
    let plans = [plan];
    let config = Config::default();
    let (model, report) =
        engine::check_plans_keeping_model(&plans, &config, &CheckOptions::default());
    let mut out: Vec<String> = Format::ALL
        .into_iter()
        .map(|f| report::render(&report, f, RenderOptions { color: false }))
        .collect();
    out.push(report::inventory::render_text(&model));
    out.push(report::inventory::render_json(&model));
    let analysis = crate::capacity::analyze(&model, &config.assume);
    let capacity = super::capacity::build_report(&analysis);
    out.push(super::capacity::render_text(&capacity));
    out.push(serde_json::to_string(&capacity).unwrap());
    out
}

/// The value at `leaf` in `plan`.
fn original(plan: &Value, leaf: &Leaf) -> Value {
    let body = plan.pointer(&leaf.body).unwrap();
    let mut v = body[leaf.values_key].clone();
    let at = at_mut(&mut v, &leaf.path).unwrap().clone();
    match &leaf.inner {
        None => at,
        Some(inner) => {
            let mut d: Value = serde_json::from_str(at.as_str().unwrap()).unwrap();
            at_mut(&mut d, inner).unwrap().clone()
        }
    }
}

#[test]
fn no_sensitive_value_is_printed_wherever_it_sits() {
    // Enumerate: each new (type, path) with its canary.
    let mut seen = BTreeSet::new();
    let mut docs: Vec<(String, Value)> = Vec::new();
    let mut jobs: Vec<(usize, Leaf, Value, String)> = Vec::new();
    let mut next_number = 41_017u64;
    for path in plans() {
        let bytes = std::fs::read(&path).unwrap();
        let plan: Value = serde_json::from_slice(&bytes).unwrap();
        let found = plan_leaves(&plan, &mut seen);
        if found.is_empty() {
            continue;
        }
        // A number stays a number (ports, counts, sizes are read as numbers), one that the
        // plan's own output does not already print.
        let mut baseline = None;
        for leaf in found {
            let (canary, needle) = if original(&plan, &leaf).is_number() {
                let baseline = baseline.get_or_insert_with(|| every_output(&bytes).join("\n"));
                while baseline.contains(&next_number.to_string()) {
                    next_number += 1;
                }
                next_number += 1;
                (json!(next_number - 1), (next_number - 1).to_string())
            } else {
                let s = format!("cnry{}qz", jobs.len());
                (json!(s), s)
            };
            jobs.push((docs.len(), leaf, canary, needle));
        }
        docs.push((path.display().to_string(), plan));
    }
    // Run: with the mark, and without it (to know the search would see the value).
    let results = crate::par::map(&jobs, 1, |(doc, leaf, canary, needle)| {
        let plan = &docs[*doc].1;
        let printed = |sensitive| {
            every_output(&with_canary(plan, leaf, canary, sensitive))
                .iter()
                .any(|o| o.contains(needle.as_str()))
        };
        (printed(true), printed(false))
    });
    let tested = jobs.len();
    let visible_when_not_sensitive = results.iter().filter(|r| r.1).count();
    let leaks: Vec<String> = jobs
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.0)
        .map(|((doc, leaf, _, needle), _)| format!("{}: {} ({needle})", docs[*doc].0, leaf.label))
        .collect();
    assert!(
        leaks.is_empty(),
        "sensitive values printed ({} of {tested} attributes):\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    // Not vacuous: many attributes are read, and printed when not sensitive.
    assert!(tested >= 150, "only {tested} attributes enumerated");
    assert!(
        visible_when_not_sensitive >= 40,
        "only {visible_when_not_sensitive} of {tested} canaries are printed when not sensitive: the search would miss a leak"
    );
    eprintln!(
        "{tested} attributes, {visible_when_not_sensitive} printed when not sensitive, none when sensitive"
    );
}
