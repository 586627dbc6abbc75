//! `ECS_CLUSTER=<name>` in EC2 user data (or Bottlerocket's `[settings.ecs]` `cluster`),
//! which is how container instances join a cluster when no capacity provider links them,
//! and `ECS_RESERVED_PORTS`, the host ports the agent keeps from tasks.
//!
//! User data reaches the plan in three shapes: plain text (`aws_instance.user_data` in
//! recent providers), base64 (`aws_launch_template.user_data`, `user_data_base64`), or a
//! SHA-1 hash of the text (`aws_launch_configuration.user_data`, older `aws_instance`). For
//! the hash we fall back to the configuration's literal value, when it is one.

use base64::Engine;

use crate::model::{Field, Val};
use crate::plan::{Plan, Resource};

/// The cluster name a user data script configures, if it sets one literally: the last
/// `ECS_CLUSTER=` line (Amazon Linux, ecs.config), or Bottlerocket's TOML setting
/// `cluster` of the `[settings.ecs]` table. A templated value (`ECS_CLUSTER=${cluster}`)
/// yields None: it cannot be known here.
pub(crate) fn ecs_cluster(text: &str) -> Option<String> {
    let mut found = None;
    for rest in assignments(text, "ECS_CLUSTER") {
        let value: String = rest
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| {
                !c.is_whitespace() && !matches!(c, '"' | '\'' | ';' | '>' | '|' | '&' | ')' | '`')
            })
            .collect();
        // The last assignment wins in ecs.config, and a templated one hides the name.
        found = Some(value).filter(|v| !v.is_empty() && !v.contains(['$', '{']));
    }
    found.or_else(|| bottlerocket_cluster(text))
}

/// `ECS_RESERVED_PORTS=[22, 2375, 8080]` in user data (the last one, as for
/// [`ecs_cluster`]): the TCP ports the agent marks unavailable on the instance, which
/// replace its default list. None when unset or not a literal list of ports.
pub(crate) fn ecs_reserved_ports(text: &str) -> Option<Vec<u16>> {
    let mut found = None;
    for rest in assignments(text, "ECS_RESERVED_PORTS") {
        let rest = rest.trim_start_matches(['"', '\'']);
        found = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .and_then(|(list, _)| {
                list.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| p.parse::<u16>().ok())
                    .collect::<Option<Vec<u16>>>()
            });
    }
    found
}

/// What follows each `NAME=` in the uncommented lines of a script, in order; `NAME` must
/// start a word (`MY_ECS_CLUSTER=` is another variable) and end at the `=`
/// (`ECS_CLUSTER_NAME=` too).
fn assignments<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    text.lines().filter_map(move |line| {
        let line = line.trim();
        if line.starts_with('#') && !line.starts_with("#!") {
            return None;
        }
        let at = line.find(name)?;
        let prev = at.checked_sub(1).map(|i| line.as_bytes()[i]);
        if prev.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        line[at + name.len()..].strip_prefix('=')
    })
}

/// Bottlerocket reads its settings from TOML user data; the ECS variant joins the cluster
/// named by `cluster` in the `[settings.ecs]` table (or `settings.ecs.cluster` written as
/// a dotted key). Only a literal basic or literal string counts.
fn bottlerocket_cluster(text: &str) -> Option<String> {
    let mut table = String::new();
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            table = header
                .split('.')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(".");
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key: Vec<&str> = key.split('.').map(|k| k.trim().trim_matches('"')).collect();
        let full = if table.is_empty() {
            key.join(".")
        } else {
            format!("{table}.{}", key.join("."))
        };
        if full != "settings.ecs.cluster" {
            continue;
        }
        let value = value.trim();
        let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let inner = value[1..].split(quote).next().unwrap_or("");
        found = Some(inner.to_string()).filter(|v| !v.is_empty() && !v.contains(['$', '{']));
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

/// `ECS_CLUSTER` of a resource (see [`scan`]).
pub(crate) fn cluster_of(plan: &Plan, res: &Resource, attrs: &[&str]) -> Option<String> {
    scan(plan, res, attrs, ecs_cluster)
}

/// `ECS_RESERVED_PORTS` of a resource (see [`scan`]).
pub(crate) fn reserved_ports_of(plan: &Plan, res: &Resource, attrs: &[&str]) -> Option<Vec<u16>> {
    scan(plan, res, attrs, ecs_reserved_ports)
}

/// What `parse` finds in the user data of a resource, trying each attribute that may hold
/// it, then the configuration's literal. Sensitive user data is skipped: what is found in
/// it would be printed by the inventory.
fn scan<T>(plan: &Plan, res: &Resource, attrs: &[&str], parse: fn(&str) -> Option<T>) -> Option<T> {
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
            if let Some(found) = decode(s).as_deref().and_then(parse) {
                return Some(found);
            }
        }
    }
    if hashed || attrs.iter().all(|a| v.get(a).string().is_null()) {
        for attr in attrs {
            let Some(expr) = plan.expression(res, attr) else {
                continue;
            };
            if let Some(serde_json::Value::String(s)) = &expr.constant_value {
                if let Some(found) = decode(s).as_deref().and_then(parse) {
                    return Some(found);
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
        assert_eq!(ecs_cluster("echo ECS_CLUSTER=${cluster_name} >> f"), None);
        assert_eq!(ecs_cluster("echo MY_ECS_CLUSTER=x"), None);
    }

    #[test]
    fn finds_the_cluster_in_bottlerocket_toml() {
        let toml = "[settings.host-containers.admin]\nenabled = true\n\n[settings.ecs]\ncluster = \"secure\"\n";
        assert_eq!(ecs_cluster(toml).as_deref(), Some("secure"));
        assert_eq!(
            ecs_cluster("[settings]\necs.cluster = 'batch'").as_deref(),
            Some("batch")
        );
        assert_eq!(
            ecs_cluster("settings.ecs.cluster = \"core\"").as_deref(),
            Some("core")
        );
        // Another table's `cluster`, or a templated name, is not the ECS cluster.
        assert_eq!(ecs_cluster("[settings.kubernetes]\ncluster = \"x\""), None);
        assert_eq!(ecs_cluster("[settings.ecs]\ncluster = \"${name}\""), None);
    }

    #[test]
    fn reads_reserved_ports() {
        let script = "cat >> /etc/ecs/ecs.config <<'CFG'\nECS_CLUSTER=billing\nECS_RESERVED_PORTS=[22,2375,2376,51678,51679,51680,8080]\nCFG\n";
        assert_eq!(
            ecs_reserved_ports(script),
            Some(vec![22, 2375, 2376, 51678, 51679, 51680, 8080])
        );
        assert_eq!(
            ecs_reserved_ports("echo 'ECS_RESERVED_PORTS=[22, 80]' >> f"),
            Some(vec![22, 80])
        );
        assert_eq!(ecs_reserved_ports("ECS_RESERVED_PORTS=${ports}"), None);
        assert_eq!(ecs_reserved_ports("ECS_RESERVED_PORTS_UDP=[53]"), None);
        assert_eq!(ecs_reserved_ports("ECS_RESERVED_PORTS=[22, x]"), None);
        assert_eq!(ecs_reserved_ports("ECS_CLUSTER=a"), None);
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
