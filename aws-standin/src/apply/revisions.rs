//! Task definition revisions per family, deterministically.
//!
//! ECS numbers the revisions of a family in registration order: two task definitions of one
//! family registered by one apply get revisions 1 and 2 (in a fresh account), in whatever
//! order Terraform happens to create them. The stand-in must give the same numbers on every
//! run although Terraform applies unrelated resources concurrently, and it is not told
//! resource addresses. So the order comes from the create plan: the scenario generator hands
//! the apply the JSON of the plan being applied (`AWS_STANDIN_PLAN`), and a task definition
//! created without a prior revision gets `1 + the index`, among the plan's task definitions
//! created with the same (known) family sorted by address, of the first one whose values
//! known at plan time all equal its own. A family with one task definition gets revision 1,
//! as before. Task definitions the plan cannot tell apart (every difference unknown until
//! apply), and any task definition when no plan is given, get the first such revision.
//! A replacement takes the replaced revision + 1 (planned private data).

use std::path::Path;

use serde_json::Value as Json;

use crate::codec::json::to_json;
use crate::codec::Value;

/// The environment variable naming the create plan's JSON (`terraform show -json`).
pub const PLAN_ENV: &str = "AWS_STANDIN_PLAN";

/// The task definitions a create plan creates.
#[derive(Debug, Clone, Default)]
pub struct PlannedTaskDefinitions {
    /// (address, family, after, after_unknown), sorted by address.
    entries: Vec<(String, String, Json, Json)>,
}

impl PlannedTaskDefinitions {
    /// From `AWS_STANDIN_PLAN` when set (an unreadable file is an error), else none.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Self, String> {
        match env(PLAN_ENV) {
            Some(path) if !path.is_empty() => Self::load(Path::new(&path)),
            _ => Ok(Self::default()),
        }
    }

    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("reading {} ({PLAN_ENV}): {e}", path.display()))?;
        let plan: Json = serde_json::from_str(&text)
            .map_err(|e| format!("reading {} ({PLAN_ENV}): {e}", path.display()))?;
        Ok(Self::from_plan(&plan))
    }

    /// The `aws_ecs_task_definition` creations of a plan (`terraform show -json`).
    pub fn from_plan(plan: &Json) -> Self {
        let mut entries: Vec<(String, String, Json, Json)> = plan
            .get("resource_changes")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter(|rc| rc["type"] == "aws_ecs_task_definition" && rc["mode"] == "managed")
            .filter(|rc| {
                rc["change"]["actions"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x == "create"))
            })
            .filter_map(|rc| {
                let after = rc["change"]["after"].clone();
                let family = after.get("family")?.as_str()?.to_owned();
                Some((
                    rc["address"].as_str()?.to_owned(),
                    family,
                    after,
                    rc["change"]["after_unknown"].clone(),
                ))
            })
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Self { entries }
    }

    /// The revision of the task definition planned as `planned` (at apply), when the plan
    /// lists it.
    pub fn revision(&self, planned: &Value) -> Option<i64> {
        let family = planned.get("family").as_str()?;
        let actual = to_json(planned);
        self.entries
            .iter()
            .filter(|(_, f, _, _)| f == family)
            .position(|(_, _, after, unknown)| compatible(after, unknown, &actual))
            .map(|i| i as i64 + 1)
    }
}

/// True when every value `after` knows (not marked in `after_unknown`) equals `actual`'s.
/// Lists are matched in order, or else element by element in any order (set order may change
/// once unknown elements are known).
fn compatible(after: &Json, unknown: &Json, actual: &Json) -> bool {
    if unknown == &Json::Bool(true) {
        return true;
    }
    match (after, actual) {
        (Json::Object(a), Json::Object(b)) => a.iter().all(|(k, v)| {
            compatible(
                v,
                unknown.get(k).unwrap_or(&Json::Null),
                b.get(k).unwrap_or(&Json::Null),
            )
        }),
        (Json::Array(a), Json::Array(b)) => {
            if a.len() != b.len() {
                return false;
            }
            let u = |i: usize| unknown.get(i).unwrap_or(&Json::Null);
            if a.iter()
                .zip(b)
                .enumerate()
                .all(|(i, (x, y))| compatible(x, u(i), y))
            {
                return true;
            }
            let mut used = vec![false; b.len()];
            a.iter().enumerate().all(|(i, x)| {
                let hit = b
                    .iter()
                    .enumerate()
                    .find(|(j, y)| !used[*j] && compatible(x, u(i), y));
                match hit {
                    Some((j, _)) => {
                        used[j] = true;
                        true
                    }
                    None => false,
                }
            })
        }
        _ => after == actual,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::object;
    use serde_json::json;

    fn plan() -> Json {
        let td = |addr: &str, family: &str, image: Json, unknown: Json| {
            json!({
                "address": addr, "mode": "managed", "type": "aws_ecs_task_definition",
                "change": {"actions": ["create"],
                    "after": {"family": family, "container_definitions": image, "cpu": "256"},
                    "after_unknown": {"arn": true, "revision": true, "container_definitions": unknown}}
            })
        };
        json!({"resource_changes": [
            td("module.checkout[\"green\"].aws_ecs_task_definition.this", "checkout", json!("green"), json!(false)),
            td("module.checkout[\"blue\"].aws_ecs_task_definition.this", "checkout", json!("blue"), json!(false)),
            td("aws_ecs_task_definition.worker", "worker", Json::Null, json!(true)),
        ]})
    }

    fn planned(family: &str, defs: &str) -> Value {
        object([
            ("family", Value::string(family)),
            ("container_definitions", Value::string(defs)),
            ("cpu", Value::string("256")),
            ("revision", Value::UNKNOWN),
        ])
    }

    #[test]
    fn revisions_follow_the_plans_addresses_per_family() {
        let p = PlannedTaskDefinitions::from_plan(&plan());
        assert_eq!(p.revision(&planned("checkout", "blue")), Some(1));
        assert_eq!(p.revision(&planned("checkout", "green")), Some(2));
        assert_eq!(p.revision(&planned("worker", "anything")), Some(1));
        assert_eq!(p.revision(&planned("checkout", "red")), None);
        assert_eq!(p.revision(&planned("other", "blue")), None);
        assert_eq!(
            PlannedTaskDefinitions::default().revision(&planned("checkout", "green")),
            None
        );
    }
}
