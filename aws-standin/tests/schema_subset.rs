//! The committed schema subset (schema/aws-<version>.json) is what schema/cut.py cuts from the
//! workspace's full schema documents: the types of schema/types.txt each version has, with
//! the same attributes, types, flags and nesting, and the full document's `_source` tag.
//! Skipped (with a SKIPPED note) when the shared folder is absent (users' clones).

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

/// Uncaptured `eprintln!` for the one line a skipping test prints.
macro_rules! skip_note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "SKIPPED: {}", format_args!($($arg)*));
    }};
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shared_dir() -> PathBuf {
    crate_dir().join("../../shared/terraform-aws")
}

/// What matters of a block: every attribute's type and flags, every nested block's nesting,
/// limits and content (descriptions left out).
fn shape(block: &Json) -> Json {
    let mut out = serde_json::Map::new();
    if let Some(attrs) = block["attributes"].as_object() {
        for (k, a) in attrs {
            let flags: Vec<&str> = [
                "required",
                "optional",
                "computed",
                "sensitive",
                "deprecated",
            ]
            .into_iter()
            .filter(|f| a[*f] == true)
            .collect();
            out.insert(
                k.clone(),
                serde_json::json!({"type": a["type"], "flags": flags}),
            );
        }
    }
    if let Some(blocks) = block["block_types"].as_object() {
        for (k, b) in blocks {
            out.insert(
                k.clone(),
                serde_json::json!({"nesting": b["nesting_mode"], "min": b["min_items"], "max": b["max_items"], "block": shape(&b["block"])}),
            );
        }
    }
    Json::Object(out)
}

fn listed() -> Vec<(String, String)> {
    std::fs::read_to_string(crate_dir().join("schema/types.txt"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (kind, name) = l.split_once(' ').expect("`resource NAME` or `data NAME`");
            let key = if kind == "resource" {
                "resource_schemas"
            } else {
                "data_source_schemas"
            };
            (key.to_owned(), name.trim().to_owned())
        })
        .collect()
}

#[test]
fn committed_subset_matches_the_shared_schema() {
    let shared = shared_dir();
    if !shared.is_dir() {
        skip_note!(
            "schema subset not compared: {} is absent (it exists only in the workspace)",
            shared.display()
        );
        return;
    }
    for version in ["5.100.0", "6.47.0"] {
        let read = |p: PathBuf| -> Json {
            serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
        };
        let full = read(shared.join(format!("aws-schema-{version}.json")));
        let cut = read(crate_dir().join(format!("schema/aws-{version}.json")));
        let ps = &full["provider_schemas"]["registry.terraform.io/hashicorp/aws"];
        assert_eq!(cut["_source"], full["_source"], "{version}: _source tag");
        assert!(
            cut["_notice"].as_str().unwrap().contains("MIT"),
            "{version}: notice"
        );
        assert_eq!(
            shape(&cut["provider"]["block"]),
            shape(&ps["provider"]["block"]),
            "{version}: provider block"
        );
        let mut expected = 0;
        for (key, name) in listed() {
            let Some(want) = ps[&key].get(&name) else {
                continue;
            };
            expected += 1;
            let got = &cut[&key][&name];
            assert_eq!(
                got["version"], want["version"],
                "{version} {name}: schema version"
            );
            assert_eq!(
                shape(&got["block"]),
                shape(&want["block"]),
                "{version} {name}: differs from the shared schema"
            );
        }
        let committed = cut["resource_schemas"].as_object().unwrap().len()
            + cut["data_source_schemas"].as_object().unwrap().len();
        assert_eq!(
            committed, expected,
            "{version}: types not listed in types.txt were committed (run schema/cut.py)"
        );
    }
}
