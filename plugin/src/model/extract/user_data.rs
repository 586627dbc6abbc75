//! `ECS_CLUSTER=<name>` in EC2 user data, which is how container instances join a cluster
//! when no capacity provider links them.
//!
//! User data reaches the plan in three shapes: plain text (`aws_instance.user_data` in
//! recent providers), base64 (`aws_launch_template.user_data`, `user_data_base64`), or a
//! SHA-1 hash of the text (`aws_launch_configuration.user_data`, older `aws_instance`). For
//! the hash we fall back to the configuration's literal value, when it is one.

use base64::Engine;

use crate::model::{Field, Val};
use crate::plan::{Plan, Resource};

/// The cluster name a user data script configures, if it sets one literally.
/// A templated value (`ECS_CLUSTER=${cluster}`) yields None: it cannot be known here.
pub(crate) fn ecs_cluster(text: &str) -> Option<String> {
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') && !line.starts_with("#!") {
            continue;
        }
        let Some(at) = line.find("ECS_CLUSTER=") else {
            continue;
        };
        // `ECS_CLUSTER_NAME=` or `MY_ECS_CLUSTER=` are other variables.
        if at > 0 {
            let prev = line.as_bytes()[at - 1];
            if prev.is_ascii_alphanumeric() || prev == b'_' {
                continue;
            }
        }
        let rest = &line[at + "ECS_CLUSTER=".len()..];
        let value: String = rest
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| {
                !c.is_whitespace() && !matches!(c, '"' | '\'' | ';' | '>' | '|' | '&' | ')' | '`')
            })
            .collect();
        if value.is_empty() || value.contains('$') || value.contains('{') {
            // The last assignment wins in ecs.config, and a templated one hides the name.
            found = None;
            continue;
        }
        found = Some(value);
    }
    found
}

/// Decode user data that may be base64; returns the text to scan.
pub(crate) fn decode(value: &str) -> Option<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return None;
    }
    if looks_like_base64(trimmed) {
        let compact: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
            if let Ok(text) = String::from_utf8(bytes) {
                return Some(text);
            }
            // gzip-compressed or binary user data: nothing we can scan.
            return None;
        }
    }
    Some(value.to_string())
}

fn looks_like_base64(s: &str) -> bool {
    let compact = s.chars().filter(|c| !c.is_whitespace()).count();
    compact >= 8
        && compact % 4 == 0
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') || c.is_whitespace())
        && !is_sha1_hex(s)
}

/// `aws_launch_configuration` (and `aws_instance` before provider v5) stores a hash.
pub(crate) fn is_sha1_hex(s: &str) -> bool {
    s.len() == 40 && s.chars().all(|c| c.is_ascii_hexdigit())
}

/// `ECS_CLUSTER` of a resource, trying each attribute that may hold user data, then the
/// configuration's literal. Sensitive user data is skipped: the name found in it would be
/// printed by the inventory.
pub(crate) fn cluster_of(plan: &Plan, res: &Resource, attrs: &[&str]) -> Option<String> {
    let v = res.values.root();
    let mut hashed = false;
    for attr in attrs {
        let f: Field<String> = v.get(attr).string();
        if f.sensitive {
            return None;
        }
        if let Val::Known(s) = &f.val {
            if is_sha1_hex(s.trim()) {
                hashed = true;
                continue;
            }
            if let Some(name) = decode(s).as_deref().and_then(ecs_cluster) {
                return Some(name);
            }
        }
    }
    if hashed || attrs.iter().all(|a| v.get(a).string().is_null()) {
        for attr in attrs {
            let Some(expr) = plan.expression(res, attr) else {
                continue;
            };
            if let Some(serde_json::Value::String(s)) = &expr.constant_value {
                if let Some(name) = decode(s).as_deref().and_then(ecs_cluster) {
                    return Some(name);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_cluster_in_common_scripts() {
        assert_eq!(
            ecs_cluster("#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n").as_deref(),
            Some("prod")
        );
        assert_eq!(
            ecs_cluster("echo \"ECS_CLUSTER=my-cluster\" >> /etc/ecs/ecs.config").as_deref(),
            Some("my-cluster")
        );
        assert_eq!(
            ecs_cluster("echo 'ECS_CLUSTER=batch' >> /etc/ecs/ecs.config").as_deref(),
            Some("batch")
        );
        assert_eq!(
            ecs_cluster("cat <<EOF >> /etc/ecs/ecs.config\nECS_CLUSTER=core\nECS_ENABLE_TASK_IAM_ROLE=true\nEOF").as_deref(),
            Some("core")
        );
        assert_eq!(ecs_cluster("[settings.ecs]\ncluster = \"x\""), None);
        assert_eq!(ecs_cluster("echo ECS_CLUSTER=${cluster_name} >> f"), None);
        assert_eq!(ecs_cluster("echo MY_ECS_CLUSTER=x"), None);
    }

    #[test]
    fn decodes_base64_and_leaves_plain_text() {
        let b64 = base64::engine::general_purpose::STANDARD
            .encode("#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n");
        assert_eq!(
            decode(&b64).as_deref().and_then(ecs_cluster).as_deref(),
            Some("prod")
        );
        let plain = "#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n";
        assert_eq!(decode(plain).as_deref(), Some(plain));
        assert!(is_sha1_hex("4c2a8b3f9e1d7a6c5b4e3d2c1b0a9f8e7d6c5b4a"));
        assert!(!looks_like_base64(
            "4c2a8b3f9e1d7a6c5b4e3d2c1b0a9f8e7d6c5b4a"
        ));
    }
}
