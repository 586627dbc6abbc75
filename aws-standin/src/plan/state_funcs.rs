//! SDKv2 `StateFunc`s: what the real provider stores (and plans) instead of the configured
//! text.
//!
//! `user_data` of `aws_instance` and `aws_launch_configuration` is stored as
//! `userDataHashSum(v)`: the SHA-1 (hex) of the user data, taken of the base64-decoded bytes
//! when the text decodes as standard padded base64 (Go's `base64.StdEncoding.DecodeString`,
//! which skips `\r` and `\n`), else of the text itself (hashicorp/terraform-provider-aws
//! internal/service/autoscaling/launch_configuration.go and internal/service/ec2/
//! ec2_instance.go, `userDataHashSum` with `itypes.Base64Decode` = `base64.StdEncoding.
//! DecodeString`, internal/types/base64.go). A real 0.12-era plan in the workspace's shared
//! realplans (terraform-compliance, `module.myapp-asg.aws_launch_configuration.lc`) shows
//! `"user_data": "fd9003b540fe982315656085e92ed87d0ec1950a"`, the SHA-1 of its rendered
//! template. `aws_launch_template.user_data` and `aws_instance.user_data_base64` have no
//! StateFunc: they are stored as configured.
//!
//! `container_definitions` of `aws_ecs_task_definition` is stored as the provider re-encodes
//! it (internal/service/ecs/task_definition.go StateFunc and container_definitions.go):
//! decoded into the SDK's `[]ContainerDefinition`, containers sorted by name, environment
//! variables and secrets sorted by name, zero elements dropped from object lists
//! (`compactArrays`), serialized by the SDK (nil fields, i.e. JSON nulls, and a zero `cpu`,
//! a plain `int32`, are left out) and normalized (`structure.NormalizeJsonString`: compact,
//! keys sorted, Go's HTML-safe escaping). Real plans agree: the infracost example plan in
//! the workspace's shared realplans shows its indented configuration stored compact with
//! sorted keys. Not modelled: members the SDK type does not have are dropped by the real
//! provider (they are kept here), and a definition Go cannot decode (a string where a
//! number belongs) is stored as `[]` by it (kept as configured here).

use serde_json::Value as Json;

use crate::codec::Value;
use crate::schema::Block;

/// Applies the type's StateFuncs to a planned object of `block`, from the configuration's
/// values. `create`: planning a new object (an omitted or suppressed Optional+Computed value
/// is then unknown).
pub fn apply(type_name: &str, block: &Block, config: &Value, create: bool, state: &mut Value) {
    if type_name == "aws_ecs_task_definition" {
        if let (Value::String(defs), Value::Map(obj)) =
            (config.get("container_definitions"), &mut *state)
        {
            if let Some(normalized) = container_definitions(defs) {
                obj.insert("container_definitions".into(), Value::String(normalized));
            }
        }
        return;
    }
    if !matches!(type_name, "aws_instance" | "aws_launch_configuration") {
        return;
    }
    let Value::Map(obj) = state else { return };
    match config.get("user_data") {
        Value::String(s) if s.is_empty() && type_name == "aws_instance" => {
            // The hash of "" (da39a3ee...) is suppressed against "" (DiffSuppressFunc of
            // aws_instance.user_data): no change is planned, so a new instance leaves it to
            // the provider (unknown where it is Optional+Computed, 5.x; null in 6.x) and an
            // existing one keeps its value.
            if !create {
                return;
            }
            let computed = block
                .attributes
                .get("user_data")
                .is_some_and(|a| a.computed);
            let v = if computed {
                Value::UNKNOWN
            } else {
                Value::Null
            };
            obj.insert("user_data".into(), v);
        }
        Value::String(s) => {
            obj.insert("user_data".into(), Value::String(user_data_hash(s)));
        }
        Value::Unknown(_) => {
            obj.insert("user_data".into(), Value::UNKNOWN);
        }
        _ => {}
    }
}

/// The container definitions as the provider stores them, or `None` when the text is not a
/// JSON list of objects (kept as configured).
pub fn container_definitions(text: &str) -> Option<String> {
    let Json::Array(defs) = serde_json::from_str::<Json>(text).ok()? else {
        return None;
    };
    let mut defs = defs
        .into_iter()
        .map(|d| match d {
            Json::Object(mut m) => {
                drop_nulls(&mut m);
                if m.get("cpu").and_then(Json::as_f64) == Some(0.0) {
                    m.remove("cpu");
                }
                for list in ["environment", "secrets"] {
                    if let Some(Json::Array(items)) = m.get_mut(list) {
                        items.sort_by(|a, b| name_of(a).cmp(name_of(b)));
                    }
                }
                Some(Json::Object(m))
            }
            _ => None,
        })
        .collect::<Option<Vec<Json>>>()?;
    defs.sort_by(|a, b| name_of(a).cmp(name_of(b)));
    let mut out = String::new();
    go_json(&Json::Array(defs), &mut out);
    Some(out)
}

fn name_of(v: &Json) -> &str {
    v.get("name").and_then(Json::as_str).unwrap_or("")
}

/// Drops null members (nil pointers are not serialized) and, in lists of objects, elements
/// left empty (`compactArrays` drops zero elements), recursively.
fn drop_nulls(m: &mut serde_json::Map<String, Json>) {
    m.retain(|_, v| !v.is_null());
    for v in m.values_mut() {
        match v {
            Json::Object(inner) => drop_nulls(inner),
            Json::Array(items) => {
                let objects = items.iter().any(Json::is_object);
                for item in items.iter_mut() {
                    if let Json::Object(inner) = item {
                        drop_nulls(inner);
                    }
                }
                if objects {
                    items.retain(|i| !(i.is_null() || i.as_object().is_some_and(|o| o.is_empty())));
                }
            }
            _ => {}
        }
    }
}

/// JSON as Go's `encoding/json` writes a decoded document: compact, object keys sorted,
/// `<`, `>`, `&`, U+2028 and U+2029 escaped.
fn go_json(v: &Json, out: &mut String) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (_, Some(u), _) => out.push_str(&u.to_string()),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e21 => {
                out.push_str(&format!("{f:.0}"));
            }
            (_, _, Some(f)) => out.push_str(&f.to_string()),
            _ => out.push_str(&n.to_string()),
        },
        Json::String(s) => go_string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_json(item, out);
            }
            out.push(']');
        }
        Json::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                go_string(k, out);
                out.push(':');
                go_json(&m[k], out);
            }
            out.push('}');
        }
    }
}

fn go_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `userDataHashSum`: hex SHA-1 of the base64-decoded user data, or of the text when it is
/// not standard base64.
pub fn user_data_hash(user_data: &str) -> String {
    match go_std_base64_decode(user_data) {
        Some(bytes) => sha1_hex(&bytes),
        None => sha1_hex(user_data.as_bytes()),
    }
}

/// Go's `base64.StdEncoding.DecodeString`: the standard alphabet with `=` padding required,
/// `\r` and `\n` ignored anywhere, non-zero trailing bits accepted (not `Strict`).
pub fn go_std_base64_decode(s: &str) -> Option<Vec<u8>> {
    let chars: Vec<u8> = s.bytes().filter(|b| *b != b'\r' && *b != b'\n').collect();
    if !chars.len().is_multiple_of(4) {
        return None;
    }
    let value = |c: u8| -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    };
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    let quanta = chars.len() / 4;
    for (i, q) in chars.chunks(4).enumerate() {
        let last = i + 1 == quanta;
        let pad = match (q[2], q[3]) {
            (b'=', b'=') if last => 2,
            (_, b'=') if last => 1,
            _ => 0,
        };
        let mut n: u32 = 0;
        for &c in &q[..4 - pad] {
            n = (n << 6) | value(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// Hex SHA-1 (FIPS 180-4), for `userDataHashSum`.
pub use tfsource::sha1_hex;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_known_answers() {
        assert_eq!(sha1_hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            sha1_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        let million_a = vec![b'a'; 1_000_000];
        assert_eq!(
            sha1_hex(&million_a),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
    }

    #[test]
    fn container_definitions_are_stored_as_the_provider_reencodes_them() {
        let configured = r#"[
            {"name": "web", "image": "nginx", "cpu": 0, "essential": true,
             "command": null, "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "<1>"}],
             "portMappings": [{"containerPort": 80, "hostPort": null, "protocol": "tcp"}, {"hostPort": null}],
             "mountPoints": []},
            {"name": "app", "image": "app:1", "memory": 512}
        ]"#;
        assert_eq!(
            container_definitions(configured).unwrap(),
            concat!(
                r#"[{"image":"app:1","memory":512,"name":"app"},"#,
                r#"{"environment":[{"name":"A","value":"\u003c1\u003e"},{"name":"B","value":"2"}],"#,
                r#""essential":true,"image":"nginx","mountPoints":[],"name":"web","#,
                r#""portMappings":[{"containerPort":80,"protocol":"tcp"}]}]"#
            )
        );
        assert_eq!(container_definitions("not json"), None);
        assert_eq!(container_definitions(r#"{"name":"x"}"#), None);
    }

    #[test]
    fn base64_as_go_std_encoding_reads_it() {
        assert_eq!(go_std_base64_decode("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(
            go_std_base64_decode("aGVs\nbG8=\n"),
            Some(b"hello".to_vec())
        );
        assert_eq!(go_std_base64_decode(""), Some(Vec::new()));
        assert_eq!(go_std_base64_decode("aGVsbG8"), None, "padding is required");
        assert_eq!(go_std_base64_decode("#!/bin/bash"), None);
        assert_eq!(go_std_base64_decode("ab=c"), None, "= only at the end");
        assert_eq!(go_std_base64_decode("aGk=aGk="), None);
    }
}
