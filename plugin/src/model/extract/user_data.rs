//! `ECS_CLUSTER=<name>` in EC2 user data (or Bottlerocket's `[settings.ecs]` `cluster`),
//! which is how container instances join a cluster when no capacity provider links them,
//! and `ECS_RESERVED_PORTS`, the host ports the agent keeps from tasks.
//!
//! User data reaches the plan in three shapes: plain text (`aws_instance.user_data` in
//! recent providers), base64 (`aws_launch_template.user_data`, `user_data_base64`), or a
//! SHA-1 hash of the text (`aws_launch_configuration.user_data`, older `aws_instance`). For
//! the hash we fall back to the configuration's literal value, when it is one.
//!
//! Inside those shapes the text may be gzip-compressed (`base64gzip()`, or the `gzip` flag of
//! the cloudinit provider's `cloudinit_config`) and may be a MIME multipart archive (what
//! `cloudinit_config` renders), whose parts may themselves be base64 or gzip. cloud-init
//! accepts both forms (cloud-init manual, "User data formats": gzip compressed content and
//! MIME multi-part archive, https://cloudinit.readthedocs.io/en/latest/explanation/format.html).
//! Each layer is undone here, within fixed bounds, and every text part is scanned.

use std::io::Read;

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

/// Decode user data that may be base64, gzip and MIME multipart (in that order of layers);
/// returns the text to scan: the script itself, or the text parts of an archive one after the
/// other. None when nothing readable is left (binary data, a corrupt archive).
pub(crate) fn decode(value: &str) -> Option<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return None;
    }
    if looks_like_base64(trimmed) {
        let compact: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
            let mut text = String::new();
            return unpack(&bytes, MAX_LAYERS, &mut text).then_some(text);
        }
    }
    let mut text = String::new();
    unpack(value.as_bytes(), MAX_LAYERS, &mut text);
    Some(text)
}

/// Layers undone at most (gzip in base64 in a MIME part in gzip...): real user data has two
/// or three; the bound keeps crafted input from recursing deeply.
const MAX_LAYERS: u8 = 4;
/// Decompressed size read at most from one gzip stream. EC2 user data is at most 16 KB
/// before base64 (EC2 User Guide, "Run commands when you launch an EC2 instance with user
/// data input"), so a real script is far below this; a gzip bomb stops here.
const MAX_INFLATED: u64 = 1 << 20;
/// The gzip magic number (RFC 1952, section 2.3.1).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Append the scannable text of `bytes` to `out`: inflate gzip, split MIME multipart into its
/// parts, keep UTF-8 text. False when nothing readable was found.
fn unpack(bytes: &[u8], layers: u8, out: &mut String) -> bool {
    if bytes.starts_with(&GZIP_MAGIC) {
        if layers == 0 {
            return false;
        }
        let mut inflated = Vec::new();
        let reader = flate2::read::MultiGzDecoder::new(bytes);
        if reader
            .take(MAX_INFLATED)
            .read_to_end(&mut inflated)
            .is_err()
        {
            return false;
        }
        return unpack(&inflated, layers - 1, out);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    if layers > 0 && is_mime_multipart(text) {
        if let Ok(mail) = mailparse::parse_mail(bytes) {
            if !mail.subparts.is_empty() {
                return unpack_parts(&mail, layers - 1, out);
            }
        }
    }
    out.push_str(text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
    true
}

/// The leaves of a parsed archive, each with its transfer encoding (base64,
/// quoted-printable) undone, then unpacked in turn.
fn unpack_parts(part: &mailparse::ParsedMail<'_>, layers: u8, out: &mut String) -> bool {
    if !part.subparts.is_empty() {
        let mut any = false;
        for sub in &part.subparts {
            any |= unpack_parts(sub, layers, out);
        }
        return any;
    }
    match part.get_body_raw() {
        Ok(body) => unpack(&body, layers, out),
        Err(_) => false,
    }
}

/// A MIME message whose first headers declare a multipart body: cloudinit_config output
/// begins `Content-Type: multipart/mixed; boundary=...`; hand-written archives may put
/// `MIME-Version: 1.0` first. Only the header block (up to the first blank line) is looked at.
fn is_mime_multipart(text: &str) -> bool {
    for line in text.trim_start().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            return false;
        }
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("content-type:") && lower.contains("multipart/") {
            return true;
        }
        let is_header = line.starts_with([' ', '\t'])
            || line.split_once(':').is_some_and(|(name, _)| {
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if !is_header {
            return false;
        }
    }
    false
}

fn looks_like_base64(s: &str) -> bool {
    let compact = s.chars().filter(|c| !c.is_whitespace()).count();
    compact >= 8
        && compact % 4 == 0
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') || c.is_whitespace())
        && !is_sha1_hex(s)
}

/// The resource types whose user data the model reads ([`scan`]): the source overlay
/// looks for a hashed `user_data` to settle only in these.
pub(crate) const READ_BY_MODEL: &[&str] = &[
    "aws_instance",
    "aws_launch_configuration",
    "aws_launch_template",
];

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
    if hashed {
        debug_assert!(
            READ_BY_MODEL.contains(&res.type_.as_str()),
            "{} is missing from READ_BY_MODEL",
            res.type_
        );
        // The sources' text, when its digest is the planned one.
        if let Some(found) = plan
            .source_user_data(res)
            .and_then(decode)
            .as_deref()
            .and_then(parse)
        {
            return Some(found);
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

    fn gzip(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    fn b64(data: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(data)
    }

    const SCRIPT: &str = "#!/bin/bash\necho ECS_CLUSTER=prod >> /etc/ecs/ecs.config\n";

    /// The layout cloudinit_config renders: a multipart/mixed header block, then each part
    /// with its own headers, 7bit content and a closing boundary.
    fn cloudinit_archive(script_part: &str) -> String {
        format!(
            "Content-Type: multipart/mixed; boundary=\"MIMEBOUNDARY\"\r\nMIME-Version: 1.0\r\n\r\n\
             --MIMEBOUNDARY\r\nContent-Transfer-Encoding: 7bit\r\nContent-Type: text/cloud-config\r\nMime-Version: 1.0\r\n\r\n\
             #cloud-config\npackages: [jq]\n\r\n\
             --MIMEBOUNDARY\r\n{script_part}\r\n\
             --MIMEBOUNDARY--\r\n"
        )
    }

    fn cluster(user_data: &str) -> Option<String> {
        decode(user_data).as_deref().and_then(ecs_cluster)
    }

    #[test]
    fn decodes_gzip_in_base64() {
        // base64gzip("...") in Terraform, or `user_data_base64` of a compressed script.
        assert_eq!(
            cluster(&b64(&gzip(SCRIPT.as_bytes()))).as_deref(),
            Some("prod")
        );
        // Compressed but not base64 cannot reach a JSON string intact; corrupt gzip yields
        // nothing rather than an error.
        let mut broken = gzip(SCRIPT.as_bytes());
        broken.truncate(12);
        assert_eq!(decode(&b64(&broken)), None);
    }

    #[test]
    fn decodes_cloudinit_multipart_plain_base64_and_gzip() {
        let part = format!(
            "Content-Transfer-Encoding: 7bit\r\nContent-Type: text/x-shellscript\r\nMime-Version: 1.0\r\n\r\n{SCRIPT}"
        );
        let archive = cloudinit_archive(&part);
        // gzip = false, base64_encode = false
        let text = decode(&archive).unwrap();
        assert!(
            text.contains("#cloud-config") && !text.contains("MIMEBOUNDARY"),
            "{text}"
        );
        assert_eq!(cluster(&archive).as_deref(), Some("prod"));
        // gzip = false, base64_encode = true
        assert_eq!(cluster(&b64(archive.as_bytes())).as_deref(), Some("prod"));
        // gzip = true, base64_encode = true: the provider's defaults
        assert_eq!(
            cluster(&b64(&gzip(archive.as_bytes()))).as_deref(),
            Some("prod")
        );
    }

    #[test]
    fn decodes_parts_that_are_base64_or_gzip_themselves() {
        let encoded = format!(
            "Content-Type: text/x-shellscript\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
            b64(SCRIPT.as_bytes())
        );
        assert_eq!(
            cluster(&cloudinit_archive(&encoded)).as_deref(),
            Some("prod")
        );
        let compressed = format!(
            "Content-Type: application/x-gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
            b64(&gzip(SCRIPT.as_bytes()))
        );
        assert_eq!(
            cluster(&cloudinit_archive(&compressed)).as_deref(),
            Some("prod")
        );
        // A cloud-config part that writes ecs.config counts too.
        let cloud_config = "Content-Type: text/cloud-config\r\n\r\n#cloud-config\nwrite_files:\n  - path: /etc/ecs/ecs.config\n    content: |\n      ECS_CLUSTER=batch\n";
        assert_eq!(
            cluster(&cloudinit_archive(cloud_config)).as_deref(),
            Some("batch")
        );
    }

    #[test]
    fn decoding_is_bounded() {
        // 16 MiB of zeros inflate to MAX_INFLATED at most.
        let bomb = gzip(&vec![0u8; 16 << 20]);
        let text = decode(&b64(&bomb)).unwrap();
        assert_eq!(text.len() as u64, MAX_INFLATED + 1);
        // gzip nested deeper than MAX_LAYERS stops unpacking instead of recursing.
        let mut nested = gzip(SCRIPT.as_bytes());
        for _ in 0..MAX_LAYERS {
            nested = gzip(&nested);
        }
        assert_eq!(decode(&b64(&nested)), None);
        // Text that only mentions multipart in its body is scanned as it is.
        let not_mime = "#!/bin/bash\n# Content-Type: multipart/mixed\necho ECS_CLUSTER=x >> f\n";
        assert!(!is_mime_multipart(not_mime));
        assert_eq!(cluster(not_mime).as_deref(), Some("x"));
    }

    /// End to end on a plan made by real Terraform (testdata/scenarios/foundation/
    /// ec2-cloudinit): each encoding links its capacity to the cluster.
    #[test]
    fn cloudinit_encodings_link_capacity_in_a_real_plan() {
        use crate::model::{CapacityKind, Resolution};
        let path = format!(
            "{}/../testdata/scenarios/foundation/ec2-cloudinit/plan.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let plan = crate::plan::load(&path, &crate::plan::LoadOptions::default()).unwrap();
        let m = crate::model::build(&[plan], &crate::config::Assumptions::default());
        let cluster = m.cluster("aws_ecs_cluster.render").unwrap();
        let mut found: Vec<(&str, CapacityKind, Resolution)> = cluster
            .capacity
            .iter()
            .map(|c| (c.address.as_deref().unwrap_or(""), c.kind, c.via))
            .collect();
        found.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(
            found,
            vec![
                // base64(gzip(MIME)) with a #cloud-config part
                (
                    "aws_autoscaling_group.render",
                    CapacityKind::AutoscalingGroup,
                    Resolution::UserData
                ),
                // base64(MIME) with a shell-script part
                (
                    "aws_autoscaling_group.tools",
                    CapacityKind::AutoscalingGroup,
                    Resolution::UserData
                ),
                // base64gzip(script)
                (
                    "aws_instance.spare",
                    CapacityKind::Instance,
                    Resolution::UserData
                ),
            ]
        );
    }
}
