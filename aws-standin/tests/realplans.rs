//! Fidelity against real plans: every resource created in the workspace's real plan corpus
//! (`../shared/realplans`, real `terraform show -json` output of the real AWS provider) whose
//! type the stand-in serves is planned again by the stand-in (5.100.0), from the configuration
//! the plan JSON records (constant values as written, referenced values as the real plan
//! resolved them, known or unknown), and each top-level attribute's planned state (known
//! value, null or unknown) is compared with the real one. Skipped (with a SKIPPED note) when
//! the corpus is absent; fails when agreement drops below the pinned floor.

use std::path::Path;

use aws_standin::codec::json::{from_json, to_json};
use aws_standin::codec::{msgpack, Type, Value};
use aws_standin::pb;
use aws_standin::provider::AwsStandin;
use aws_standin::schema::{Block, Nesting};
use aws_standin::version::AwsVersion;
use aws_standin::world::World;
use serde_json::{json, Value as Json};

/// Uncaptured `eprintln!` for the lines this test prints.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

fn full() -> bool {
    std::env::var_os("REALPLANS_FULL").is_some()
}

/// The share of compared attribute states that must agree (measured: 2197 of 2207; the rest
/// are attributes older or newer providers than 5.100.0 had, and blocks written with
/// `dynamic`, which the plan's configuration does not record).
const FLOOR: f64 = 0.99;

/// Resources whose type's schema changed since the (much older) provider that planned them,
/// left out of the comparison: (plan file prefix, type, why).
const OLDER_SCHEMA: &[(&str, &str, &str)] = &[(
    "cloudstruct__rocketpool-deploy",
    "aws_s3_bucket",
    "planned with provider 3.x (Terraform 1.0.7): the S3 configuration blocks, bucket_prefix and \
     policy were plain Optional before 4.0 made them Optional+Computed",
)];

/// Rebuilds a value of type `ty` from a real plan's `after` and `after_unknown`.
fn from_after(after: &Json, unknown: &Json, ty: &Type) -> Value {
    if unknown == &Json::Bool(true) {
        return Value::UNKNOWN;
    }
    match (ty, after, unknown) {
        (Type::List(e) | Type::Set(e), Json::Array(items), _) => Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, a)| from_after(a, unknown.get(i).unwrap_or(&Json::Null), e))
                .collect(),
        ),
        (Type::Map(e), Json::Object(m), _) => Value::Map(
            m.iter()
                .map(|(k, a)| {
                    (
                        k.clone(),
                        from_after(a, unknown.get(k).unwrap_or(&Json::Null), e),
                    )
                })
                .collect(),
        ),
        (Type::Object(attrs), Json::Object(m), _) => Value::Map(
            attrs
                .iter()
                .map(|(k, t)| {
                    let a = m.get(k).unwrap_or(&Json::Null);
                    (
                        k.clone(),
                        from_after(a, unknown.get(k).unwrap_or(&Json::Null), t),
                    )
                })
                .collect(),
        ),
        _ => from_json(after, ty).unwrap_or(Value::Null),
    }
}

/// The configuration of a block from its recorded expressions: constants as written,
/// references as the real plan resolved them (`after`/`after_unknown` at the same place).
fn config_of(block: &Block, exprs: &Json, after: &Json, unknown: &Json) -> Value {
    let mut out = std::collections::BTreeMap::new();
    for (name, attr) in &block.attributes {
        let Some(e) = exprs.get(name) else { continue };
        let v = match e.get("constant_value") {
            Some(c) => from_json(c, &attr.ty).unwrap_or(Value::Null),
            None => from_after(
                after.get(name).unwrap_or(&Json::Null),
                unknown.get(name).unwrap_or(&Json::Null),
                &attr.ty,
            ),
        };
        out.insert(name.clone(), v);
    }
    for (name, nb) in &block.block_types {
        // Single blocks are recorded as an object, others as a list of objects.
        let items: Vec<Json> = match exprs.get(name) {
            Some(Json::Array(items)) => items.clone(),
            Some(o @ Json::Object(_)) => vec![o.clone()],
            _ => continue,
        };
        let a = match after.get(name) {
            Some(Json::Array(a)) => a.clone(),
            Some(o @ Json::Object(_)) => vec![o.clone()],
            _ => Vec::new(),
        };
        let u = match unknown.get(name) {
            Some(Json::Array(u)) => u.clone(),
            Some(o @ Json::Object(_)) => vec![o.clone()],
            _ => Vec::new(),
        };
        // Elements pair with the real plan's by position when the counts agree (for sets
        // this is a guess that holds for the usual single element).
        let paired = a.len() == items.len();
        let elems: Vec<Value> = items
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let (ai, ui) = if paired {
                    (a[i].clone(), u.get(i).cloned().unwrap_or(Json::Null))
                } else {
                    (Json::Null, Json::Null)
                };
                config_of(&nb.block, e, &ai, &ui)
            })
            .collect();
        let v = match nb.nesting {
            Nesting::Single | Nesting::Group => elems.into_iter().next().unwrap_or(Value::Null),
            _ => Value::List(elems),
        };
        out.insert(name.clone(), v);
    }
    Value::Map(out)
}

/// A comparable form: unknown as "(unknown)", lists sorted (sets), empty collections as null
/// inside containers are kept as they are.
fn signature(j: &Json) -> Json {
    match j {
        Json::Array(items) => {
            let mut s: Vec<Json> = items.iter().map(signature).collect();
            s.sort_by_key(|x| x.to_string());
            Json::Array(s)
        }
        Json::Object(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), signature(v))).collect()),
        other => other.clone(),
    }
}

/// The real state of one attribute: after and after_unknown merged.
fn real_state(after: &Json, unknown: &Json) -> Json {
    match (after, unknown) {
        (_, Json::Bool(true)) => json!("(unknown)"),
        (Json::Array(a), Json::Array(u)) => Json::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| real_state(x, u.get(i).unwrap_or(&Json::Null)))
                .collect(),
        ),
        (Json::Object(a), Json::Object(u)) => {
            let mut m = a.clone();
            for (k, v) in u {
                let merged = real_state(a.get(k).unwrap_or(&Json::Null), v);
                m.insert(k.clone(), merged);
            }
            Json::Object(m)
        }
        _ => after.clone(),
    }
}

fn module_config<'a>(root: &'a Json, address: &str) -> Option<(&'a Json, String)> {
    // module.a.module.b.TYPE.NAME[key] -> module_calls a -> b, resource TYPE.NAME
    let mut module = root;
    let mut rest = address;
    while let Some(r) = rest.strip_prefix("module.") {
        let (name, after) = r.split_once('.')?;
        let name = name.split('[').next()?;
        module = module.get("module_calls")?.get(name)?.get("module")?;
        rest = after;
    }
    let plain = rest.split('[').next()?.to_owned();
    let res = module
        .get("resources")?
        .as_array()?
        .iter()
        .find(|r| r["address"] == plain.as_str())?;
    Some((res, plain))
}

#[test]
fn plans_like_the_real_provider_on_the_real_plan_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/realplans");
    if !dir.is_dir() {
        note!("SKIPPED: real-plan fidelity not measured: {} is absent (it exists only in the workspace)", dir.display());
        return;
    }
    let p = AwsStandin::new(AwsVersion::V5_100_0, &|_| None)
        .unwrap()
        .with_world(World::default());
    let (mut agree, mut total) = (0usize, 0usize);
    let mut misses: Vec<String> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    files.sort();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(plan) = serde_json::from_str::<Json>(text.trim_start_matches('\u{feff}')) else {
            continue;
        };
        let tv = plan["terraform_version"].as_str().unwrap_or("");
        if !tv.starts_with("1.") {
            continue;
        }
        let cfg = &plan["configuration"];
        let Some(root) = cfg.get("root_module") else {
            continue;
        };
        // The provider block: region and default_tags when written as constants.
        let pexpr = &cfg["provider_config"]["aws"]["expressions"];
        let region = pexpr["region"]["constant_value"]
            .as_str()
            .unwrap_or("us-east-1");
        let tags = pexpr["default_tags"][0]["tags"].clone();
        let default_tags = match (tags.get("constant_value"), tags.is_null()) {
            (Some(c), _) => vec![json!({"tags": c})],
            (None, true) => vec![],
            (None, false) => continue, // default tags from references: not reconstructed
        };
        let pcfg = from_json(
            &json!({"region": region, "default_tags": default_tags}),
            &p.schema.provider.ty,
        )
        .unwrap();
        p.configure(&pcfg);
        for rc in plan["resource_changes"].as_array().into_iter().flatten() {
            let (Some(ty), Some(address)) = (rc["type"].as_str(), rc["address"].as_str()) else {
                continue;
            };
            if rc["mode"] != "managed" || rc["change"]["actions"] != json!(["create"]) {
                continue;
            }
            let Some(schema) = p.schema.resources.get(ty) else {
                continue;
            };
            let file = path.file_name().unwrap().to_string_lossy();
            if OLDER_SCHEMA
                .iter()
                .any(|(f, t, _)| file.starts_with(f) && *t == ty)
            {
                continue;
            }
            let Some((res, _)) = module_config(root, address) else {
                continue;
            };
            let after = &rc["change"]["after"];
            let unknown = &rc["change"]["after_unknown"];
            let config = config_of(&schema.block, &res["expressions"], after, unknown);
            let dv = Some(pb::DynamicValue {
                msgpack: msgpack::encode(&config, &schema.ty).unwrap(),
                json: vec![],
            });
            let resp = p.plan(&pb::plan_resource_change::Request {
                type_name: ty.into(),
                prior_state: None,
                proposed_new_state: dv.clone(),
                config: dv,
                ..Default::default()
            });
            let planned =
                msgpack::decode(&resp.planned_state.unwrap().msgpack, &schema.ty).unwrap();
            let Some(real_obj) = after.as_object() else {
                continue;
            };
            for name in schema
                .block
                .attributes
                .keys()
                .chain(schema.block.block_types.keys())
            {
                // Only attributes the real (older or newer) provider had.
                if !real_obj.contains_key(name) && unknown.get(name).is_none() {
                    continue;
                }
                // Blocks written with `dynamic` are not recorded in the configuration: a
                // non-empty known list without an expression is one of those.
                let unrecorded = res["expressions"].get(name).is_none()
                    && after
                        .get(name)
                        .and_then(Json::as_array)
                        .is_some_and(|l| !l.is_empty())
                    && unknown.get(name) != Some(&Json::Bool(true));
                if unrecorded {
                    continue;
                }
                let real = signature(&real_state(
                    after.get(name).unwrap_or(&Json::Null),
                    unknown.get(name).unwrap_or(&Json::Null),
                ));
                let mine = signature(&to_json(planned.get(name)));
                total += 1;
                if real == mine {
                    agree += 1;
                } else {
                    let file = path.file_name().unwrap().to_string_lossy();
                    let short = |j: &Json| {
                        j.to_string()
                            .chars()
                            .take(if full() { 4000 } else { 90 })
                            .collect::<String>()
                    };
                    misses.push(format!(
                        "{file}: {address}.{name}: real {} stand-in {}",
                        short(&real),
                        short(&mine)
                    ));
                }
            }
        }
    }
    let ratio = agree as f64 / total.max(1) as f64;
    let report = format!(
        "real-plan fidelity: {agree} of {total} top-level attribute states agree ({:.1}%)\n  differs: {}",
        ratio * 100.0,
        misses.join("\n  differs: ")
    );
    // REALPLANS_FULL=1 shows the report (with whole values) even when the test passes.
    if full() {
        note!("{report}");
    }
    assert!(
        total > 200,
        "too few attribute states compared ({total}): did the corpus change?"
    );
    assert!(
        ratio >= FLOOR,
        "fidelity {ratio:.3} is below the floor {FLOOR}\n{report}"
    );
}
