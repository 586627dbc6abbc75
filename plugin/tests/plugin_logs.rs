//! The plugin's own logs never show a value Terraform marks sensitive, at the most verbose
//! levels (`ECSNET_LOG=trace` and `debug`, text and hclog JSON).
//!
//! The canary approach of `cli::canary` applied to the plugin process: every string leaf of
//! every resource change ecsnet reads in the sample plan (and every string inside its
//! container definitions) is replaced by a canary of its own, marked sensitive where it sits
//! (the whole `container_definitions` for the leaves inside it, as Terraform marks it). The
//! plan is sent through both RPCs, then a second copy with one canary truncated away (a bad
//! plan, refused), and the plugin is shut down; its stderr must hold no canary. The same
//! plan without the marks must show canaries in the answer, which proves they reach what
//! the plugin produces.

#[path = "support/host.rs"]
mod host;

use std::path::Path;
use std::time::Duration;

use ecsnet::server::pb::ecsnet::v1::validator_client::ValidatorClient;
use host::{connect, go_plugin_client_identity, request, rt, shutdown, start};
use serde_json::{json, Value};

const PREFIX: &str = "cnry";

/// Replaces every non-empty string below `v` by a fresh canary; `path` is where `v` sits,
/// and each replaced path is pushed to `marked`.
fn plant(v: &mut Value, path: &mut Vec<Value>, next: &mut usize, marked: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                path.push(json!(k));
                plant(x, path, next, marked);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter_mut().enumerate() {
                path.push(json!(i));
                plant(x, path, next, marked);
                path.pop();
            }
        }
        Value::String(s) if !s.is_empty() => {
            *s = format!("{PREFIX}{next}qz");
            *next += 1;
            marked.push(path.clone());
        }
        _ => {}
    }
}

/// Marks `path` sensitive in a sensitivity tree, building objects and lists on the way.
fn mark(marks: &mut Value, path: &[Value]) {
    let Some((first, rest)) = path.split_first() else {
        *marks = Value::Bool(true);
        return;
    };
    if let Some(k) = first.as_str() {
        if !marks.is_object() {
            *marks = json!({});
        }
        let o = marks.as_object_mut().unwrap();
        mark(o.entry(k.to_string()).or_insert(Value::Bool(false)), rest);
    } else {
        let i = first.as_u64().unwrap() as usize;
        if !marks.is_array() {
            *marks = json!([]);
        }
        let a = marks.as_array_mut().unwrap();
        while a.len() <= i {
            a.push(Value::Bool(false));
        }
        mark(&mut a[i], rest);
    }
}

/// The sample plan with canaries in every string ecsnet may read from a change, marked
/// sensitive when `sensitive`; and how many canaries were planted.
fn canary_plan(sensitive: bool) -> (Vec<u8>, usize) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/scenarios/sample/shop/plan.json");
    let mut plan: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut next = 0;
    for rc in plan["resource_changes"].as_array_mut().unwrap() {
        let type_ = rc["type"].as_str().unwrap_or("").to_string();
        if !ecsnet::plan::is_interesting(&type_) || !rc["change"]["after"].is_object() {
            continue;
        }
        let change = rc["change"].as_object_mut().unwrap();
        let mut after = change.remove("after").unwrap();
        let mut marked = Vec::new();
        for (k, v) in after.as_object_mut().unwrap().iter_mut() {
            let decoded = (k == "container_definitions")
                .then(|| {
                    v.as_str()
                        .and_then(|s| serde_json::from_str::<Value>(s).ok())
                })
                .flatten();
            match decoded {
                Some(mut defs) => {
                    plant(&mut defs, &mut Vec::new(), &mut next, &mut Vec::new());
                    *v = Value::String(defs.to_string());
                    marked.push(vec![json!(k)]);
                }
                None => plant(v, &mut vec![json!(k)], &mut next, &mut marked),
            }
        }
        change.insert("after".to_string(), after);
        if sensitive {
            let marks = change
                .entry("after_sensitive".to_string())
                .or_insert_with(|| json!({}));
            if !marks.is_object() {
                *marks = json!({});
            }
            for p in &marked {
                mark(marks, p);
            }
        }
    }
    (serde_json::to_vec(&plan).unwrap(), next)
}

/// Sends the plan through both RPCs and a refused copy of it, shuts the plugin down, and
/// returns its stderr and what it answered.
fn run_plugin(env: &[(&str, &str)], plan: &[u8]) -> (String, String) {
    let id = go_plugin_client_identity();
    let mut p = start(Some(&id), env);
    let answers = rt().block_on(async {
        let ch = connect(&p.handshake, Some(&id)).await.unwrap();
        let mut v = ValidatorClient::new(ch.clone()).max_decoding_message_size(usize::MAX);
        let mut answers = String::new();
        let unary = v.validate_plan(request(plan.to_vec())).await;
        answers += &format!("{unary:?}\n");
        let chunks = host::stream_chunks(plan, 4096);
        let streamed = v.validate_plan_stream(tokio_stream::iter(chunks)).await;
        answers += &format!("{streamed:?}\n");
        // Cut short in the middle of the resource changes: refused.
        let cut = plan.len() / 2;
        let bad = v.validate_plan(request(plan[..cut].to_vec())).await;
        assert!(bad.is_err(), "a truncated plan is refused");
        answers += &format!("{bad:?}\n");
        shutdown(ch).await;
        answers
    });
    let status = p.wait_exit(Duration::from_secs(10)).expect("exits");
    assert!(status.success(), "{status:?}: {}", p.stderr());
    (p.stderr(), answers)
}

#[test]
fn no_sensitive_value_reaches_the_plugin_logs_at_trace_or_debug_level() {
    let (plan, planted) = canary_plan(true);
    assert!(planted > 100, "only {planted} canaries planted");
    for env in [
        &[("ECSNET_LOG", "trace")][..],
        &[("ECSNET_LOG", "trace"), ("ECSNET_LOG_FORMAT", "json")][..],
        &[("ECSNET_LOG", "debug")][..],
    ] {
        let (stderr, answers) = run_plugin(env, &plan);
        // The level took effect: the check's debug lines are there.
        assert!(
            stderr.contains("checking a"),
            "{env:?}: no debug lines in the logs:\n{stderr}"
        );
        assert!(
            !stderr.contains(PREFIX),
            "{env:?}: a sensitive value is in the plugin's logs:\n{stderr}"
        );
        assert!(
            !answers.contains(PREFIX),
            "{env:?}: a sensitive value is in the answer"
        );
    }
}

#[test]
fn the_canaries_are_visible_when_not_marked() {
    // Without the marks the same values are printed (in the findings the plugin returns), so
    // the search above would have seen them.
    let (plan, _) = canary_plan(false);
    let (_, answers) = run_plugin(&[("ECSNET_LOG", "info")], &plan);
    let shown = answers.matches(PREFIX).count();
    assert!(shown > 0, "no canary in the answers:\n{answers}");
}
