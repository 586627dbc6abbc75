//! `aws_ecs_task_definition`: network mode with its AWS default, OS family and the
//! decoded `container_definitions` JSON string.

use serde_json::Value;

use super::containers::Problem;
use super::first_block;
use super::written::{written, Written};
use crate::model::{
    Container, Field, NetworkMode, OsFamily, PlanIndex, PortMapping, TaskDefinition, Val,
};
use crate::plan::{AttrRef, Mode, Plan, Resource};

/// A task definition as read from its resource, not yet in the model. Decoding
/// `container_definitions` (JSON inside a JSON string) makes this the costliest extraction.
pub(super) fn decode(res: &Resource, source: &Plan, plan: PlanIndex) -> TaskDefinition {
    let v = res.values.root();
    let family = v.get("family").string();
    // The AWS provider plans an omitted `network_mode` as "known after apply" (the attribute
    // is optional + computed), and after apply stores what ECS reports (`bridge`). When the
    // configuration leaves it out (or sets it to null, also through a module variable), the
    // mode is omitted, so ECS's default for the OS applies (NET002), whatever the plan shows.
    // A data source holds what ECS reports for a registered definition: no configuration.
    let network_mode_raw = match (res.mode, written(source, res, "network_mode")) {
        (Mode::Managed, Written::Omitted) => Field::null(),
        _ => v.get("network_mode").string(),
    };
    let os_family = os_family(v.get("runtime_platform"));
    let (network_mode, network_mode_explicit) = network_mode(&network_mode_raw, os_family);
    // Read once, straight into containers: the JSON string itself is not kept.
    let (containers, containers_error) = v.with_member("container_definitions", decode_containers);
    TaskDefinition {
        address: res.address.clone(),
        plan,
        family,
        network_mode_raw,
        network_mode,
        network_mode_explicit,
        requires_compatibilities: v.get("requires_compatibilities").strings(),
        os_family,
        cpu: v.get("cpu").string(),
        memory: v.get("memory").string(),
        task_role_arn: super::opt_string(v.get("task_role_arn")),
        containers,
        containers_error,
    }
}

/// The attributes holding a task definition's ARN, for [`register`].
pub(super) const ARN_ATTRS: &[&str; 2] = &["arn", "arn_without_revision"];

/// The network mode ECS will use and whether it was written: an omitted mode is `bridge`
/// on Linux and Docker's `default` (nat) on Windows.
pub(crate) fn network_mode(raw: &Field<String>, os: OsFamily) -> (NetworkMode, bool) {
    match &raw.val {
        // An invalid mode keeps its text for messages: never a sensitive one's.
        Val::Known(s) if !s.is_empty() => match parse_mode(s) {
            NetworkMode::Invalid(_) if raw.sensitive => {
                (NetworkMode::Invalid("(sensitive)".to_string()), true)
            }
            mode => (mode, true),
        },
        Val::Known(_) | Val::Null => {
            let mode = if os == OsFamily::Windows {
                NetworkMode::WindowsDefault
            } else {
                NetworkMode::Bridge
            };
            (mode, false)
        }
        Val::Unknown => (NetworkMode::Unknown, true),
    }
}

fn parse_mode(s: &str) -> NetworkMode {
    // ECS compares modes case-sensitively: "AWSVPC" is rejected by the API, so keep it Invalid.
    match s {
        "awsvpc" => NetworkMode::Awsvpc,
        "bridge" => NetworkMode::Bridge,
        "host" => NetworkMode::Host,
        "none" => NetworkMode::None,
        "default" => NetworkMode::WindowsDefault,
        other => NetworkMode::Invalid(other.to_string()),
    }
}

/// `runtime_platform[0].operating_system_family`: LINUX, WINDOWS_SERVER_2019_FULL, ...
fn os_family(block: AttrRef<'_>) -> OsFamily {
    let first = first_block(block);
    match first.val {
        Val::Unknown => OsFamily::Unknown,
        Val::Null | Val::Known(None) => OsFamily::Unspecified,
        Val::Known(Some(rp)) => match rp.get("operating_system_family").string().val {
            Val::Unknown => OsFamily::Unknown,
            Val::Null => OsFamily::Unspecified,
            Val::Known(s) if s.is_empty() => OsFamily::Unspecified,
            Val::Known(s) if s.to_ascii_uppercase().starts_with("WINDOWS") => OsFamily::Windows,
            Val::Known(_) => OsFamily::Linux,
        },
    }
}

/// Decode `container_definitions`. Unknown string → unknown containers; sensitive string →
/// sensitive containers (usable by rules, never printed). A known string that is not a JSON
/// array of objects gives an error message (which never quotes the content).
pub(crate) fn decode_containers(a: AttrRef<'_>) -> (Field<Vec<Container>>, Option<String>) {
    let sensitive = a.is_sensitive();
    // The usual case, a known string: decoded straight into containers (see `containers`).
    if let Val::Known(Value::String(text)) = a.raw().val {
        let problem = match super::containers::decode(text) {
            Ok(out) => return (Field::known(out).with_sensitive(sensitive), None),
            Err(Problem::Invalid(e)) => format!("container_definitions is not valid JSON: {e}"),
            Err(Problem::NotArray) => "container_definitions is not a JSON array".to_string(),
            Err(Problem::NotObject(i)) => format!("container_definitions[{i}] is not an object"),
        };
        return (Field::null().with_sensitive(sensitive), Some(problem));
    }
    // Structure from the Terraform sources, read in place (not copied out first).
    if let Some(root) = a.json_structure() {
        return structured_containers(root, sensitive);
    }
    let decoded = match a.decode_json() {
        Ok(f) => f,
        Err(e) => {
            return (
                Field::null().with_sensitive(sensitive),
                Some(format!("container_definitions is {e}")),
            )
        }
    };
    match decoded.val {
        Val::Known(attrs) => structured_containers(attrs.root(), sensitive),
        Val::Null => (Field::null().with_sensitive(sensitive), None),
        Val::Unknown => (Field::unknown().with_sensitive(sensitive), None),
    }
}

/// Containers from the structure the Terraform sources give for a JSON string the plan
/// leaves unknown (an array of objects with unknown leaves; `root` is its top): usable only
/// when what the network rules read of each container is known (an image or a secret ARN
/// may stay unknown). Each container object is copied into the model.
fn structured_containers(
    root: AttrRef<'_>,
    sensitive: bool,
) -> (Field<Vec<Container>>, Option<String>) {
    if network_parts_unknown(root) {
        return (Field::unknown().with_sensitive(sensitive), None);
    }
    let Val::Known(Value::Array(items)) = root.raw().val else {
        return (
            Field::null().with_sensitive(sensitive),
            Some("container_definitions is not a JSON array".to_string()),
        );
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if !item.is_object() {
            return (
                Field::null().with_sensitive(sensitive),
                Some(format!("container_definitions[{i}] is not an object")),
            );
        }
        out.push(container(item.clone()));
    }
    (Field::known(out).with_sensitive(sensitive), None)
}

/// The members of a container definition the network rules read.
pub(super) const NETWORK_KEYS: &[&str] = super::containers::READ_MEMBERS
    .split_at(super::containers::NETWORK_MEMBERS)
    .0;

/// Whether a decoded container list leaves unknown its length or a member the model reads.
fn network_parts_unknown(root: AttrRef<'_>) -> bool {
    if root.is_unknown() {
        return true;
    }
    match root.items().val {
        Val::Known(items) => items
            .iter()
            .any(|c| c.is_unknown() || NETWORK_KEYS.iter().any(|k| c.get(k).contains_unknown())),
        Val::Null => false,
        Val::Unknown => true,
    }
}

/// The decoded container object `v` is kept whole in `raw` (moved, not copied).
pub(super) fn container(v: Value) -> Container {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let strings = |k: &str| -> Vec<String> {
        v.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let port_mappings = v
        .get("portMappings")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(port_mapping).collect())
        .unwrap_or_default();
    let extra_hosts = v
        .get("extraHosts")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|h| {
                    h.get("hostname")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    Container {
        name: s("name").unwrap_or_default(),
        essential: v.get("essential").and_then(as_bool),
        port_mappings,
        links: strings("links"),
        hostname: s("hostname"),
        extra_hosts,
        dns_servers: strings("dnsServers"),
        dns_search_domains: strings("dnsSearchDomains"),
        disable_networking: v.get("disableNetworking").and_then(as_bool),
        raw: v,
    }
}

fn port_mapping(p: &Value) -> PortMapping {
    let s = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
    PortMapping {
        container_port: p.get("containerPort").and_then(as_int),
        host_port: p.get("hostPort").and_then(as_int),
        protocol: s("protocol")
            .map(|x| x.to_ascii_lowercase())
            .unwrap_or_else(|| "tcp".to_string()),
        name: s("name"),
        app_protocol: s("appProtocol"),
        container_port_range: s("containerPortRange"),
        host_port_range: s("hostPortRange"),
    }
}

/// Container definitions written by hand sometimes quote numbers and booleans.
fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Attrs;
    use serde_json::json;

    #[test]
    fn omitted_mode_defaults_by_os() {
        assert_eq!(
            network_mode(&Field::null(), OsFamily::Linux),
            (NetworkMode::Bridge, false)
        );
        assert_eq!(
            network_mode(&Field::null(), OsFamily::Windows),
            (NetworkMode::WindowsDefault, false)
        );
        assert_eq!(
            network_mode(&Field::known("awsvpc".into()), OsFamily::Linux),
            (NetworkMode::Awsvpc, true)
        );
        assert_eq!(
            network_mode(&Field::known("AWSVPC".into()), OsFamily::Linux),
            (NetworkMode::Invalid("AWSVPC".into()), true)
        );
        assert_eq!(
            network_mode(&Field::unknown(), OsFamily::Linux),
            (NetworkMode::Unknown, true)
        );
    }

    #[test]
    fn windows_family_from_runtime_platform() {
        let a = Attrs::known(
            json!({"runtime_platform": [{"operating_system_family": "WINDOWS_SERVER_2022_CORE"}]}),
        );
        assert_eq!(
            os_family(a.root().get("runtime_platform")),
            OsFamily::Windows
        );
        let a = Attrs::known(json!({"runtime_platform": []}));
        assert_eq!(
            os_family(a.root().get("runtime_platform")),
            OsFamily::Unspecified
        );
        let a = Attrs::new(json!({}), json!({"runtime_platform": true}), json!(null));
        assert_eq!(
            os_family(a.root().get("runtime_platform")),
            OsFamily::Unknown
        );
    }

    #[test]
    fn containers_decode_known_unknown_sensitive_and_broken() {
        let cd = r#"[{"name":"web","essential":true,"portMappings":[{"containerPort":80,"hostPort":"8080","protocol":"UDP"}],"links":["db"]}]"#;
        let a = Attrs::known(json!({ "container_definitions": cd }));
        let (c, err) = decode_containers(a.root().get("container_definitions"));
        assert!(err.is_none());
        let c = c.get().unwrap();
        assert_eq!(c[0].name, "web");
        assert_eq!(c[0].port_mappings[0].host_port, Some(8080));
        assert_eq!(c[0].port_mappings[0].protocol, "udp");
        assert_eq!(c[0].links, vec!["db".to_string()]);

        let a = Attrs::new(json!({}), json!({"container_definitions": true}), json!({}));
        let (c, _) = decode_containers(a.root().get("container_definitions"));
        assert!(c.is_unknown());

        let a = Attrs::new(
            json!({ "container_definitions": cd }),
            json!({}),
            json!({"container_definitions": true}),
        );
        let (c, _) = decode_containers(a.root().get("container_definitions"));
        assert!(c.sensitive && c.is_known());

        let a = Attrs::known(json!({ "container_definitions": "{\"name\":1}" }));
        let (c, err) = decode_containers(a.root().get("container_definitions"));
        assert!(c.is_null());
        assert_eq!(
            err.as_deref(),
            Some("container_definitions is not a JSON array")
        );
        let a = Attrs::known(json!({ "container_definitions": "[{" }));
        let (_, err) = decode_containers(a.root().get("container_definitions"));
        assert!(err
            .unwrap()
            .starts_with("container_definitions is not valid JSON"));
    }
}
