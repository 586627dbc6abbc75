//! What `ConfigureProvider` tells the stand-in: region and default tags.

use std::collections::BTreeMap;

use crate::codec::Value;

/// Region when the provider block sets none (the real provider would fail without one).
pub const FALLBACK_REGION: &str = "us-east-1";

/// The configured provider.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderConfig {
    pub region: String,
    /// `default_tags { tags = ... }`: a map of strings, `Null` when absent, or unknown.
    pub default_tags: Value,
}

impl Default for ProviderConfig {
    fn default() -> ProviderConfig {
        ProviderConfig {
            region: FALLBACK_REGION.to_owned(),
            default_tags: Value::Null,
        }
    }
}

impl ProviderConfig {
    /// Reads the provider block's value (region from the block, else `AWS_REGION` /
    /// `AWS_DEFAULT_REGION` as the real provider does, else us-east-1).
    pub fn from_config(config: &Value, env: &dyn Fn(&str) -> Option<String>) -> ProviderConfig {
        let region = config
            .get("region")
            .as_str()
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .or_else(|| env("AWS_REGION").filter(|r| !r.is_empty()))
            .or_else(|| env("AWS_DEFAULT_REGION").filter(|r| !r.is_empty()))
            .unwrap_or_else(|| FALLBACK_REGION.to_owned());
        let default_tags = match config.get("default_tags") {
            Value::List(blocks) => match blocks.first() {
                Some(b) => b.get("tags").clone(),
                None => Value::Null,
            },
            Value::Unknown(_) => Value::UNKNOWN,
            _ => Value::Null,
        };
        ProviderConfig {
            region,
            default_tags,
        }
    }

    /// `default_tags` merged with `tags` (the resource's win): `None` when either is unknown.
    pub fn merged_tags(&self, tags: &Value) -> Option<BTreeMap<String, String>> {
        let mut all = self.default_tags.string_map()?;
        all.extend(tags.string_map()?);
        Some(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::object;

    #[test]
    fn reads_region_and_default_tags() {
        let cfg = object([
            ("region", Value::string("eu-west-1")),
            (
                "default_tags",
                Value::List(vec![object([(
                    "tags",
                    object([("Team", Value::string("net"))]),
                )])]),
            ),
        ]);
        let pc = ProviderConfig::from_config(&cfg, &|_| None);
        assert_eq!(pc.region, "eu-west-1");
        let merged = pc
            .merged_tags(&object([("Name", Value::string("x"))]))
            .unwrap();
        assert_eq!(merged.len(), 2);
        assert!(pc.merged_tags(&Value::UNKNOWN).is_none());
        let pc = ProviderConfig::from_config(&Value::Null, &|k| {
            (k == "AWS_REGION").then(|| "ap-south-1".into())
        });
        assert_eq!(pc.region, "ap-south-1");
        assert_eq!(pc.default_tags, Value::Null);
    }
}
