//! SDKv2 `Default:` values and Optional+Computed blocks, per resource type and version.
//!
//! `defaults/aws-defaults.json` is the workspace's researched table (copied unchanged, sources
//! in its `_meta`); `defaults/standin-defaults.json` holds this crate's additions. Keys are
//! dotted attribute paths without indexes (`health_check.port`); a key ending in `@5.x` holds
//! the 5.x value; `"computed"` marks an Optional+Computed attribute or block (unknown in a
//! create plan when omitted); `null` cancels an entry.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::version::AwsVersion;

const AWS_DEFAULTS: &str = include_str!("../defaults/aws-defaults.json");
const STANDIN_DEFAULTS: &str = include_str!("../defaults/standin-defaults.json");

/// What the provider does with an omitted attribute or block.
#[derive(Debug, Clone, PartialEq)]
pub enum Default {
    /// Optional+Computed: unknown in a create plan.
    Computed,
    /// The SDK `Default:` value.
    Value(Json),
}

/// The defaults of every type for one version.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    by_type: BTreeMap<String, BTreeMap<String, Default>>,
}

impl Defaults {
    pub fn load(version: AwsVersion) -> Defaults {
        let mut d = Defaults::default();
        for text in [AWS_DEFAULTS, STANDIN_DEFAULTS] {
            let j: Json =
                serde_json::from_str(text).expect("the committed defaults files are valid JSON");
            d.merge(&j, version);
        }
        d
    }

    fn merge(&mut self, j: &Json, version: AwsVersion) {
        let Some(types) = j.as_object() else { return };
        for (ty, entries) in types {
            if ty.starts_with('_') {
                continue;
            }
            let Some(entries) = entries.as_object() else {
                continue;
            };
            let table = self.by_type.entry(ty.clone()).or_default();
            // Plain keys first, then the version-specific ones over them.
            for pass in [false, true] {
                for (key, value) in entries {
                    let (path, v5) = match key.strip_suffix("@5.x") {
                        Some(p) => (p, true),
                        None => (key.as_str(), false),
                    };
                    if v5 != pass || (v5 && version.major() != 5) {
                        continue;
                    }
                    match value {
                        Json::Null => {
                            table.remove(path);
                        }
                        Json::String(s) if s == "computed" => {
                            table.insert(path.to_owned(), Default::Computed);
                        }
                        v => {
                            table.insert(path.to_owned(), Default::Value(v.clone()));
                        }
                    }
                }
            }
        }
    }

    /// The default of `path` (dotted, no indexes) in `type_name`.
    pub fn get(&self, type_name: &str, path: &str) -> Option<&Default> {
        self.by_type.get(type_name)?.get(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn version_specific_entries_win() {
        let d5 = Defaults::load(AwsVersion::V5_100_0);
        let d6 = Defaults::load(AwsVersion::V6_47_0);
        let az = "availability_zone_rebalancing";
        assert_eq!(
            d5.get("aws_ecs_service", az),
            Some(&Default::Value(json!("DISABLED")))
        );
        assert_eq!(d6.get("aws_ecs_service", az), Some(&Default::Computed));
        assert_eq!(
            d6.get("aws_ecs_service", "deployment_configuration"),
            Some(&Default::Computed)
        );
        assert_eq!(d5.get("aws_ecs_service", "deployment_configuration"), None);
        for d in [&d5, &d6] {
            assert_eq!(
                d.get("aws_ecs_service", "deployment_maximum_percent"),
                Some(&Default::Value(json!(200)))
            );
            assert_eq!(
                d.get("aws_lb_target_group", "health_check.port"),
                Some(&Default::Value(json!("traffic-port")))
            );
            assert_eq!(
                d.get("aws_lb_target_group", "target_type"),
                Some(&Default::Value(json!("instance")))
            );
            assert_eq!(
                d.get("aws_lb", "load_balancer_type"),
                Some(&Default::Value(json!("application")))
            );
            assert_eq!(d.get("aws_ecs_service", "nope"), None);
        }
    }
}
