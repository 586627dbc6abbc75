//! Every scenario configuration in testdata/scenarios loads, and every resource the plan
//! holds is declared, located and evaluated by the sources.

use std::path::{Path, PathBuf};

use tfsource::{Evaluator, Sources};

fn scenario_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/scenarios");
    let mut out = Vec::new();
    for topic in std::fs::read_dir(&root).unwrap().flatten() {
        if !topic.path().is_dir() {
            continue;
        }
        for s in std::fs::read_dir(topic.path()).unwrap().flatten() {
            if s.path().join("plan.json").is_file() {
                out.push(s.path());
            }
        }
    }
    out.sort();
    out
}

/// Every resource instance address of a plan's `resource_changes`.
fn plan_addresses(plan: &serde_json::Value) -> Vec<String> {
    plan["resource_changes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["address"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_scenario_resource_is_declared_located_and_evaluates() {
    let dirs = scenario_dirs();
    assert!(dirs.len() > 50, "found {} scenarios", dirs.len());
    let mut resources = 0;
    for dir in dirs {
        let src = Sources::load(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let plan: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("plan.json")).unwrap()).unwrap();
        let ev = Evaluator::from_plan_variables(&src, &plan["variables"]);
        for addr in plan_addresses(&plan) {
            assert!(
                src.declares(&addr),
                "{}: {addr} not declared",
                dir.display()
            );
            let at = src.locate(&addr, None).unwrap();
            assert!(at.line > 0 && at.file.ends_with(".tf") && !at.file.starts_with('/'));
            assert!(at.file.starts_with("testdata/scenarios/"), "{}", at.file);
            let v = ev.resource(&addr).unwrap();
            assert!(v.as_map().is_some(), "{addr}: {v:?}");
            resources += 1;
        }
    }
    assert!(resources > 500, "{resources}");
}

#[test]
fn container_definitions_of_create_plans_are_known_in_structure() {
    // Where the plan shows container_definitions unknown, the sources still give the
    // containers' names and ports (the point of the evaluator).
    let mut settled = 0;
    for dir in scenario_dirs() {
        let src = Sources::load(&dir).unwrap();
        let plan: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("plan.json")).unwrap()).unwrap();
        let ev = Evaluator::from_plan_variables(&src, &plan["variables"]);
        for rc in plan["resource_changes"].as_array().into_iter().flatten() {
            if rc["type"] != "aws_ecs_task_definition"
                || rc["change"]["after_unknown"]["container_definitions"] != true
            {
                continue;
            }
            let addr = rc["address"].as_str().unwrap();
            let Some(v) = ev.attribute(addr, "container_definitions") else {
                continue;
            };
            let structure = match &v {
                tfsource::Value::Unknown(u) => u.json.as_deref().cloned(),
                tfsource::Value::String(s) => serde_json::from_str(s)
                    .ok()
                    .map(|j| tfsource::Value::from_json(&j)),
                _ => None,
            };
            if let Some(list) = structure
                .as_ref()
                .and_then(|s| s.as_list().map(<[_]>::to_vec))
            {
                if list
                    .iter()
                    .all(|c| c.get("name").is_some_and(|n| n.as_str().is_some()))
                {
                    settled += 1;
                }
            }
        }
    }
    assert!(
        settled > 0,
        "no unknown container_definitions settled by the sources"
    );
    eprintln!("container_definitions settled from sources: {settled}");
}
