//! SARIF 2.1.0 output for code-scanning dashboards.
//!
//! - `tool.driver.rules`: every rule of this build with its doc as help text/markdown.
//! - one result per finding: `ruleId`/`ruleIndex`, `level` (info → `note`), the message with
//!   the arithmetic appended, a logical location (the resource address) and a physical
//!   location (the plan file).
//! - findings suppressed by an `ignore` block carry an `external` suppression with the reason.

use serde_json::{json, Map, Value};

use crate::diagnostics::{Diagnostic, Severity};
use crate::engine::Report;
use crate::rules::RuleMeta;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_descriptor(meta: &RuleMeta) -> Value {
    let doc = super::rule_doc(meta);
    let full = super::doc_section(&doc, "What it checks").unwrap_or_else(|| meta.summary.into());
    json!({
        "id": meta.id,
        "name": meta.name,
        "shortDescription": { "text": meta.summary },
        "fullDescription": { "text": full },
        "help": { "text": doc, "markdown": doc },
        "helpUri": meta.url,
        "defaultConfiguration": { "level": level(meta.default_severity) },
        "properties": { "tags": ["ecs", "networking", "terraform"] }
    })
}

/// Where people read about ecsnet: the package's repository when the manifest names one,
/// else its crates.io page.
pub fn information_uri() -> &'static str {
    match env!("CARGO_PKG_REPOSITORY") {
        "" => concat!("https://crates.io/crates/", env!("CARGO_PKG_NAME")),
        repo => repo,
    }
}

/// The base id that absolute plan paths outside the working directory are relative to
/// (`file:///`, in `originalUriBaseIds`): SARIF consumers expect relative URIs.
pub const ROOT_BASE_ID: &str = "ROOT";

/// An absolute path that lies under the working directory, relative to it; `None` for a
/// relative path, `-`, or a path elsewhere. CI annotation formats (SARIF, GitHub) need
/// paths relative to the checkout, which is the working directory of a CI job.
pub(crate) fn relative_to_cwd(path: &str) -> Option<String> {
    let p = std::path::Path::new(path);
    if path == "-" || !p.is_absolute() {
        return None;
    }
    std::env::current_dir()
        .ok()
        .and_then(|c| {
            p.strip_prefix(c)
                .ok()
                .map(|r| r.to_string_lossy().into_owned())
        })
        .filter(|r| !r.is_empty())
}

/// A plan path as a SARIF artifact location: relative URIs only. A relative path stays
/// as it is; an absolute one becomes relative to the working directory when it lies under
/// it, else relative to [`ROOT_BASE_ID`].
pub(crate) fn artifact_location(path: &str) -> Map<String, Value> {
    let mut loc = Map::new();
    let p = std::path::Path::new(path);
    if path != "-" && p.is_absolute() {
        match relative_to_cwd(path) {
            Some(rel) => {
                loc.insert("uri".into(), json!(path_uri(&rel)));
            }
            None => {
                let uri = path_uri(path);
                loc.insert("uri".into(), json!(uri.trim_start_matches('/')));
                loc.insert("uriBaseId".into(), json!(ROOT_BASE_ID));
            }
        }
    } else {
        loc.insert("uri".into(), json!(path_uri(path)));
    }
    loc
}

/// A path as a URI reference: `\` becomes `/`, characters that are not allowed
/// unescaped in a URI are percent-encoded, and stdin (`-`) is named `stdin`.
pub(crate) fn path_uri(path: &str) -> String {
    if path == "-" {
        return "stdin".to_string();
    }
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn message_text(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if let Some(detail) = &d.detail {
        text.push('\n');
        text.push_str(detail);
    }
    if let Some(help) = &d.help {
        text.push_str("\nHow to fix: ");
        text.push_str(help);
    }
    text
}

fn result(d: &Diagnostic, rule_index: Option<usize>, artifact: Option<(usize, &str)>) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(d.rule));
    if let Some(i) = rule_index {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(d.severity)));
    r.insert("message".into(), json!({ "text": message_text(d) }));
    let mut location = Map::new();
    if let Some(at) = &d.location {
        // The `.tf` line (or the plan's), so code scanning annotates that line of the diff.
        let mut region = json!({ "startLine": at.line });
        if let Some(c) = at.column {
            region["startColumn"] = json!(c);
        }
        let mut artifact_location = artifact_location(&at.file);
        if let Some((index, _)) = artifact.filter(|(_, p)| *p == at.file) {
            artifact_location.insert("index".into(), json!(index));
        }
        location.insert(
            "physicalLocation".into(),
            json!({ "artifactLocation": Value::Object(artifact_location), "region": region }),
        );
    } else if let Some((index, path)) = artifact {
        let mut artifact_location = artifact_location(path);
        artifact_location.insert("index".into(), json!(index));
        location.insert(
            "physicalLocation".into(),
            // A plan's JSON is usually one line and a resource has no line of its own; code
            // scanning needs a start line to show a result, so the result points at line 1.
            json!({
                "artifactLocation": Value::Object(artifact_location),
                "region": { "startLine": 1 }
            }),
        );
    }
    let fqn = match &d.attribute {
        Some(a) => format!("{}.{a}", d.address),
        None => d.address.clone(),
    };
    location.insert(
        "logicalLocations".into(),
        json!([{ "name": d.address, "fullyQualifiedName": fqn, "kind": "resource" }]),
    );
    r.insert("locations".into(), json!([Value::Object(location)]));
    // Stable identity across runs for dashboards that track findings over time.
    r.insert(
        "partialFingerprints".into(),
        json!({ crate::findings::FINGERPRINT_KEY: d.fingerprint }),
    );
    // The other resources with the same problem first, then the related ones.
    let also = d.also.iter().map(|a| (a, "also has this problem"));
    let related = d.related.iter().map(|a| (a, "related resource"));
    let related: Vec<Value> = also
        .chain(related)
        .enumerate()
        .map(|(i, (a, text))| {
            json!({
                "id": i,
                "logicalLocations": [{ "name": a, "fullyQualifiedName": a, "kind": "resource" }],
                "message": { "text": text }
            })
        })
        .collect();
    if !related.is_empty() {
        r.insert("relatedLocations".into(), Value::Array(related));
    }
    if d.baselined {
        r.insert("baselineState".into(), json!("unchanged"));
    }
    if let Some(reason) = &d.suppressed {
        r.insert(
            "suppressions".into(),
            json!([{ "kind": "external", "status": "accepted", "justification": reason }]),
        );
    }
    let mut props = Map::new();
    props.insert("unverifiable".into(), json!(d.unverifiable));
    props.insert("address".into(), json!(d.address));
    if let Some(a) = &d.attribute {
        props.insert("attribute".into(), json!(a));
    }
    props.insert("url".into(), json!(d.url));
    if !d.missing.is_empty() {
        props.insert("missing".into(), json!(d.missing));
    }
    if !d.also.is_empty() {
        props.insert(
            "addresses".into(),
            json!(std::iter::once(&d.address)
                .chain(&d.also)
                .collect::<Vec<_>>()),
        );
    }
    r.insert("properties".into(), Value::Object(props));
    Value::Object(r)
}

/// The SARIF log as a JSON value.
pub fn to_value(report: &Report) -> Value {
    let mut metas: Vec<&'static RuleMeta> = crate::rules::all().iter().map(|r| r.meta()).collect();
    // A finding of a rule this build does not list (cannot happen via the engine, but a
    // report may be assembled elsewhere) still gets a descriptor-less result.
    metas.sort_by_key(|m| m.id);
    let rule_index = |id: &str| metas.iter().position(|m| m.id == id);

    // artifacts must be unique: the same path given twice maps to one artifact.
    let mut artifact_paths: Vec<&str> = Vec::new();
    let mut plan_artifact: Vec<usize> = Vec::new();
    for p in &report.plans {
        let idx = match artifact_paths.iter().position(|a| *a == p.path) {
            Some(i) => i,
            None => {
                artifact_paths.push(&p.path);
                artifact_paths.len() - 1
            }
        };
        plan_artifact.push(idx);
    }
    let artifacts: Vec<Value> = artifact_paths
        .iter()
        .map(|p| json!({ "location": artifact_location(p), "roles": ["analysisTarget"] }))
        .collect();

    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let artifact = plan_artifact.get(d.plan).map(|&i| (i, artifact_paths[i]));
            result(d, rule_index(&d.rule), artifact)
        })
        .collect();

    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": report.tool.name,
                    "fullName": format!("{} {}: Amazon ECS network-mode checks for Terraform plans", report.tool.name, report.tool.version),
                    "informationUri": information_uri(),
                    "version": report.tool.version,
                    "semanticVersion": report.tool.version,
                    "rules": metas.iter().map(|m| rule_descriptor(m)).collect::<Vec<_>>(),
                }
            },
            "automationDetails": { "id": "ecsnet/" },
            "originalUriBaseIds": { ROOT_BASE_ID: { "uri": "file:///" } },
            "artifacts": artifacts,
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {
                "summary": report.summary,
                "notes": report.notes,
            }
        }]
    })
}

/// Pretty-printed SARIF followed by a newline.
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(report)).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::FailOn;
    use crate::report::testing::sample;

    /// Properties allowed (and required) on each SARIF 2.1.0 object kind this module emits,
    /// transcribed from the OASIS schema's `definitions` (all of them are
    /// `additionalProperties: false`).
    fn shape(kind: &str) -> (&'static [&'static str], &'static [&'static str]) {
        match kind {
            "log" => (
                &[
                    "$schema",
                    "version",
                    "runs",
                    "inlineExternalProperties",
                    "properties",
                ],
                &["version", "runs"],
            ),
            "run" => (
                &[
                    "tool",
                    "invocations",
                    "conversion",
                    "language",
                    "versionControlProvenance",
                    "originalUriBaseIds",
                    "artifacts",
                    "logicalLocations",
                    "graphs",
                    "results",
                    "automationDetails",
                    "runAggregates",
                    "baselineGuid",
                    "redactionTokens",
                    "defaultEncoding",
                    "defaultSourceLanguage",
                    "newlineSequences",
                    "columnKind",
                    "externalPropertyFileReferences",
                    "threadFlowLocations",
                    "taxonomies",
                    "addresses",
                    "translations",
                    "policies",
                    "webRequests",
                    "webResponses",
                    "specialLocations",
                    "properties",
                ],
                &["tool"],
            ),
            "tool" => (&["driver", "extensions", "properties"], &["driver"]),
            "toolComponent" => (
                &[
                    "guid",
                    "name",
                    "organization",
                    "product",
                    "productSuite",
                    "shortDescription",
                    "fullDescription",
                    "fullName",
                    "version",
                    "semanticVersion",
                    "dottedQuadFileVersion",
                    "releaseDateUtc",
                    "downloadUri",
                    "informationUri",
                    "globalMessageStrings",
                    "notifications",
                    "rules",
                    "taxa",
                    "locations",
                    "language",
                    "contents",
                    "isComprehensive",
                    "localizedDataSemanticVersion",
                    "minimumRequiredLocalizedDataSemanticVersion",
                    "associatedComponent",
                    "translationMetadata",
                    "supportedTaxonomies",
                    "properties",
                ],
                &["name"],
            ),
            "reportingDescriptor" => (
                &[
                    "id",
                    "deprecatedIds",
                    "guid",
                    "deprecatedGuids",
                    "name",
                    "deprecatedNames",
                    "shortDescription",
                    "fullDescription",
                    "messageStrings",
                    "defaultConfiguration",
                    "helpUri",
                    "help",
                    "relationships",
                    "properties",
                ],
                &["id"],
            ),
            "multiformatMessageString" => (&["text", "markdown", "properties"], &["text"]),
            "reportingConfiguration" => (
                &["enabled", "level", "rank", "parameters", "properties"],
                &[],
            ),
            "artifact" => (
                &[
                    "description",
                    "location",
                    "parentIndex",
                    "offset",
                    "length",
                    "roles",
                    "mimeType",
                    "contents",
                    "encoding",
                    "sourceLanguage",
                    "hashes",
                    "lastModifiedTimeUtc",
                    "properties",
                ],
                &[],
            ),
            "artifactLocation" => (
                &["uri", "uriBaseId", "index", "description", "properties"],
                &[],
            ),
            "result" => (
                &[
                    "ruleId",
                    "ruleIndex",
                    "rule",
                    "kind",
                    "level",
                    "message",
                    "analysisTarget",
                    "locations",
                    "guid",
                    "correlationGuid",
                    "occurrenceCount",
                    "partialFingerprints",
                    "fingerprints",
                    "stacks",
                    "codeFlows",
                    "graphs",
                    "graphTraversals",
                    "relatedLocations",
                    "suppressions",
                    "baselineState",
                    "rank",
                    "attachments",
                    "hostedViewerUri",
                    "workItemUris",
                    "provenance",
                    "fixes",
                    "taxa",
                    "webRequest",
                    "webResponse",
                    "properties",
                ],
                &["message"],
            ),
            "message" => (&["text", "markdown", "id", "arguments", "properties"], &[]),
            "location" => (
                &[
                    "id",
                    "physicalLocation",
                    "logicalLocations",
                    "message",
                    "annotations",
                    "relationships",
                    "properties",
                ],
                &[],
            ),
            "physicalLocation" => (
                &[
                    "address",
                    "artifactLocation",
                    "region",
                    "contextRegion",
                    "properties",
                ],
                &[],
            ),
            "logicalLocation" => (
                &[
                    "name",
                    "index",
                    "fullyQualifiedName",
                    "decoratedName",
                    "parentIndex",
                    "kind",
                    "properties",
                ],
                &[],
            ),
            "suppression" => (
                &[
                    "guid",
                    "kind",
                    "status",
                    "justification",
                    "location",
                    "properties",
                ],
                &["kind"],
            ),
            "region" => (
                &[
                    "startLine",
                    "startColumn",
                    "endLine",
                    "endColumn",
                    "charOffset",
                    "charLength",
                    "byteOffset",
                    "byteLength",
                    "snippet",
                    "message",
                    "sourceLanguage",
                    "properties",
                ],
                &[],
            ),
            other => panic!("no shape for {other}"),
        }
    }

    fn check(kind: &str, v: &Value, path: &str, errors: &mut Vec<String>) {
        let Some(obj) = v.as_object() else {
            errors.push(format!("{path}: {kind} is not an object"));
            return;
        };
        let (allowed, required) = shape(kind);
        for k in obj.keys() {
            if !allowed.contains(&k.as_str()) {
                errors.push(format!("{path}: {kind} has unknown property {k}"));
            }
        }
        for k in required {
            if !obj.contains_key(*k) {
                errors.push(format!("{path}: {kind} lacks required {k}"));
            }
        }
        let arr = |k: &str| {
            obj.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let sub = |k: &str, kind: &str, errors: &mut Vec<String>| {
            if let Some(x) = obj.get(k) {
                check(kind, x, &format!("{path}.{k}"), errors);
            }
        };
        match kind {
            "log" => {
                if obj.get("version") != Some(&json!("2.1.0")) {
                    errors.push(format!("{path}: version must be 2.1.0"));
                }
                for (i, r) in arr("runs").iter().enumerate() {
                    check("run", r, &format!("{path}.runs[{i}]"), errors);
                }
            }
            "run" => {
                sub("tool", "tool", errors);
                let artifacts = arr("artifacts");
                for (i, a) in artifacts.iter().enumerate() {
                    check("artifact", a, &format!("{path}.artifacts[{i}]"), errors);
                }
                let mut uniq = artifacts.clone();
                uniq.dedup();
                if uniq.len() != artifacts.len() {
                    errors.push(format!("{path}: artifacts must be unique"));
                }
                if let Some(ck) = obj.get("columnKind") {
                    if ck != "utf16CodeUnits" && ck != "unicodeCodePoints" {
                        errors.push(format!("{path}: bad columnKind"));
                    }
                }
                for (i, r) in arr("results").iter().enumerate() {
                    check("result", r, &format!("{path}.results[{i}]"), errors);
                }
            }
            "tool" => sub("driver", "toolComponent", errors),
            "toolComponent" => {
                let rules = arr("rules");
                let ids: std::collections::BTreeSet<_> =
                    rules.iter().map(|r| r["id"].to_string()).collect();
                if ids.len() != rules.len() {
                    errors.push(format!("{path}: rule ids must be unique"));
                }
                for (i, r) in rules.iter().enumerate() {
                    check(
                        "reportingDescriptor",
                        r,
                        &format!("{path}.rules[{i}]"),
                        errors,
                    );
                }
            }
            "reportingDescriptor" => {
                sub("shortDescription", "multiformatMessageString", errors);
                sub("fullDescription", "multiformatMessageString", errors);
                sub("help", "multiformatMessageString", errors);
                sub("defaultConfiguration", "reportingConfiguration", errors);
                if !obj
                    .get("helpUri")
                    .and_then(Value::as_str)
                    .is_some_and(|u| u.starts_with("https://"))
                {
                    errors.push(format!("{path}: helpUri must be an absolute URI"));
                }
            }
            "reportingConfiguration" | "result" => {
                if let Some(l) = obj.get("level") {
                    if !["none", "note", "warning", "error"].contains(&l.as_str().unwrap_or("")) {
                        errors.push(format!("{path}: bad level {l}"));
                    }
                }
                if kind == "result" {
                    sub("message", "message", errors);
                    if obj
                        .get("message")
                        .and_then(|m| m.get("text"))
                        .and_then(Value::as_str)
                        .is_none()
                    {
                        errors.push(format!("{path}: message needs text"));
                    }
                    if obj.contains_key("kind") {
                        errors.push(format!(
                            "{path}: kind other than fail forces level none; omit it"
                        ));
                    }
                    for (i, l) in arr("locations")
                        .iter()
                        .chain(arr("relatedLocations").iter())
                        .enumerate()
                    {
                        check("location", l, &format!("{path}.locations[{i}]"), errors);
                    }
                    for (i, s) in arr("suppressions").iter().enumerate() {
                        check(
                            "suppression",
                            s,
                            &format!("{path}.suppressions[{i}]"),
                            errors,
                        );
                    }
                    if let Some(i) = obj.get("ruleIndex") {
                        if !matches!(i.as_i64(), Some(i) if i >= -1) {
                            errors.push(format!("{path}: bad ruleIndex"));
                        }
                    }
                    if let Some(fp) = obj.get("partialFingerprints") {
                        if !fp
                            .as_object()
                            .is_some_and(|m| m.values().all(Value::is_string))
                        {
                            errors.push(format!("{path}: partialFingerprints must map to strings"));
                        }
                    }
                }
            }
            "artifact" => sub("location", "artifactLocation", errors),
            "location" => {
                sub("physicalLocation", "physicalLocation", errors);
                sub("message", "message", errors);
                for (i, l) in arr("logicalLocations").iter().enumerate() {
                    check(
                        "logicalLocation",
                        l,
                        &format!("{path}.logicalLocations[{i}]"),
                        errors,
                    );
                }
                if let Some(id) = obj.get("id") {
                    if !matches!(id.as_i64(), Some(i) if i >= -1) {
                        errors.push(format!("{path}: location id must be an integer ≥ -1"));
                    }
                }
            }
            "physicalLocation" => {
                if !obj.contains_key("artifactLocation") && !obj.contains_key("address") {
                    errors.push(format!(
                        "{path}: physicalLocation needs artifactLocation or address"
                    ));
                }
                sub("artifactLocation", "artifactLocation", errors);
                sub("region", "region", errors);
            }
            "artifactLocation" => {
                if let Some(uri) = obj.get("uri").and_then(Value::as_str) {
                    if uri
                        .chars()
                        .any(|c| c == ' ' || c == '"' || c == '\\' || c.is_control())
                    {
                        errors.push(format!("{path}: uri {uri} is not a URI reference"));
                    }
                }
            }
            "region" => {
                for k in ["startLine", "startColumn", "endLine", "endColumn"] {
                    if let Some(n) = obj.get(k) {
                        if !matches!(n.as_i64(), Some(n) if n >= 1) {
                            errors.push(format!("{path}: {k} must be an integer ≥ 1"));
                        }
                    }
                }
            }
            "suppression" => {
                if !["inSource", "external"]
                    .contains(&obj.get("kind").and_then(Value::as_str).unwrap_or(""))
                {
                    errors.push(format!("{path}: bad suppression kind"));
                }
                if let Some(s) = obj.get("status") {
                    if !["accepted", "underReview", "rejected"].contains(&s.as_str().unwrap_or(""))
                    {
                        errors.push(format!("{path}: bad suppression status"));
                    }
                }
            }
            _ => {}
        }
    }

    /// Validate a SARIF log against the SARIF 2.1.0 object shapes; returns every violation.
    pub fn validate(v: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        check("log", v, "$", &mut errors);
        errors
    }

    #[test]
    fn valid_against_sarif_2_1_0_shapes() {
        let v = to_value(&sample(FailOn::Severity(Severity::Error)));
        let errors = validate(&v);
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn valid_on_real_pipeline_output() {
        // The report scenarios' plans, made by real Terraform.
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/scenarios/reports");
        let mut plans = Vec::new();
        for name in ["mixed", "sensitive", "clean"] {
            let path = dir.join(name).join("plan.json").display().to_string();
            plans.push(crate::plan::load(&path, &Default::default()).unwrap());
        }
        // one plan at a time, and all three together (several artifacts)
        for chunk in [&plans[0..1], &plans[1..2], &plans[..]] {
            let report = crate::engine::check_plans(chunk, &crate::config::Config::default());
            assert!(!report.diagnostics.is_empty() || chunk.len() == 1);
            let errors = validate(&to_value(&report));
            assert!(errors.is_empty(), "{errors:#?}");
        }
    }

    #[test]
    fn the_validator_catches_mistakes() {
        let mut v = to_value(&sample(FailOn::Severity(Severity::Error)));
        v["runs"][0]["results"][0]["level"] = json!("info");
        v["runs"][0]["results"][0]["bogus"] = json!(1);
        v["runs"][0]["results"][0]["suppressions"] = json!([{ "justification": "x" }]);
        let errors = validate(&v);
        assert!(errors.iter().any(|e| e.contains("bad level")), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.contains("unknown property bogus")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("lacks required kind")),
            "{errors:?}"
        );
    }

    #[test]
    fn results_carry_findings_and_suppressions() {
        let v = to_value(&sample(FailOn::Severity(Severity::Error)));
        let results = v["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        let eni = results.iter().find(|r| r["ruleId"] == "NET070").unwrap();
        assert_eq!(eni["level"], "error");
        assert!(eni["message"]["text"]
            .as_str()
            .unwrap()
            .contains("needs 12 tasks"));
        assert_eq!(
            eni["locations"][0]["logicalLocations"][0]["name"],
            "module.app[\"blue\"].aws_ecs_service.api"
        );
        assert_eq!(
            eni["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "plans/prod%20plan.json"
        );
        let sup: Vec<_> = results
            .iter()
            .filter(|r| r.get("suppressions").is_some())
            .collect();
        assert_eq!(sup.len(), 1);
        assert_eq!(sup[0]["suppressions"][0]["kind"], "external");
        assert_eq!(
            sup[0]["suppressions"][0]["justification"],
            "legacy: keeps port, 50% off, until Q3"
        );
        let info = results.iter().find(|r| r["ruleId"] == "NET072").unwrap();
        assert_eq!(info["level"], "note");
        assert_eq!(info["properties"]["unverifiable"], true);
    }

    #[test]
    fn rule_metadata_comes_from_the_rule_docs() {
        let v = to_value(&sample(FailOn::Never));
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), crate::rules::all().len());
        for r in rules {
            assert!(
                r["help"]["markdown"]
                    .as_str()
                    .unwrap()
                    .contains("## What it checks"),
                "{}",
                r["id"]
            );
            assert!(r["helpUri"].as_str().unwrap().starts_with("https://"));
        }
        // ruleIndex points at the descriptor with the same id
        for res in v["runs"][0]["results"].as_array().unwrap() {
            if let Some(i) = res["ruleIndex"].as_u64() {
                assert_eq!(rules[i as usize]["id"], res["ruleId"]);
            }
        }
    }

    #[test]
    fn uris() {
        assert_eq!(path_uri("-"), "stdin");
        assert_eq!(path_uri("C:\\plans\\a b.json"), "C:/plans/a%20b.json");
        assert_eq!(path_uri("ünï.json"), "%C3%BCn%C3%AF.json");
    }
}
