//! HCL parsing of `.ecsnet.hcl`.
//!
//! The file is parsed with `hcl-edit` (re-exported by `hcl-rs` as `hcl::edit`) rather than
//! deserialized with serde, because its syntax tree keeps byte spans: every semantic error
//! (unknown key, wrong type, unknown rule id, ignore without a reason) can then name the
//! line of the offending key, not just the file.

use std::ops::Range;
use std::path::Path;

use hcl::edit::expr::Expression;
use hcl::edit::structure::{Attribute, Block, Body, Structure};
use hcl::edit::Span;

use super::{
    Assumptions, ClusterAssumption, Config, FailOn, Ignore, RuleOverride, SubnetAssumption,
};
use crate::diagnostics::{RuleId, Severity};
use crate::instances::{InstanceOverride, MAX_ENIS_LIMIT, MAX_TRUNKED_LIMIT};
use crate::report::suggest::closest;
use std::cell::RefCell;

/// A configuration problem: one line naming the file, the line and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl From<ConfigError> for crate::error::UserError {
    fn from(e: ConfigError) -> Self {
        crate::error::UserError::new(e.0)
    }
}

/// Parse configuration text. `source` names it in messages (usually the file path).
/// Rule ids are checked against the rules built into this binary.
pub fn parse_str(text: &str, source: &str) -> Result<Config, ConfigError> {
    let ids: Vec<&'static str> = crate::rules::all()
        .iter()
        .map(|r| r.meta().id.as_str())
        .collect();
    parse_with_rules(text, source, &ids)
}

/// Read and parse a configuration file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let bytes = std::fs::read(path).map_err(|e| {
        ConfigError(format!(
            "{}: cannot read configuration: {}; check the path given to --config",
            path.display(),
            crate::error::io_reason(&e)
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        ConfigError(format!(
            "{}: configuration is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    parse_str(&text, &path.display().to_string())
}

/// Check that `text` is HCL as ecsnet's parser reads it, syntax only (no key is checked):
/// the Terraform snippets of fix hints and rule documentation are held to it.
pub fn check_syntax(text: &str, source: &str) -> Result<(), ConfigError> {
    syntax(text, source).map(drop)
}

fn syntax(text: &str, source: &str) -> Result<Body, ConfigError> {
    hcl::edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        ConfigError(format!(
            "{source}:{}:{}: invalid HCL: {}; fix the syntax (see docs in `ecsnet check --help`)",
            loc.line(),
            loc.column(),
            e.message().replace('\n', " ")
        ))
    })
}

/// Parse with an explicit list of valid rule ids (unit tests use a fixed list so they do not
/// depend on which rules exist).
pub(crate) fn parse_with_rules(
    text: &str,
    source: &str,
    rule_ids: &[&'static str],
) -> Result<Config, ConfigError> {
    // A leading BOM is what some Windows editors write; HCL itself does not allow it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let body = syntax(text, source)?;
    let p = Parser {
        newlines: text.match_indices('\n').map(|(i, _)| i).collect(),
        source,
        rule_ids,
        instance_types: RefCell::new(Vec::new()),
    };
    let cfg = p.config(&body)?;
    p.check_instance_types(&cfg)?;
    Ok(cfg)
}

struct Parser<'a> {
    /// Offsets of the text's newlines, for line numbers in messages and locations: each one
    /// a binary search (counting newlines from the start for every ignore block made 100,000
    /// of them take minutes).
    newlines: Vec<usize>,
    source: &'a str,
    rule_ids: &'a [&'static str],
    /// Instance types named by `assume cluster` blocks: checked once the whole file is read.
    instance_types: RefCell<Vec<AssumedType>>,
}

/// `instance_type = "..."` of an `assume cluster "label"` block, where it is written.
struct AssumedType {
    name: String,
    label: String,
    span: Option<Range<usize>>,
}

const TOP_KEYS: &[&str] = &["fail_on", "rule", "assume", "ignore", "instance_type"];
const RULE_KEYS: &[&str] = &["enabled", "severity"];
const ASSUME_KEYS: &[&str] = &[
    "awsvpc_trunking",
    "dual_stack_ipv6",
    "dynamic_port_range",
    "reserved_ports",
    "subnet",
    "cluster",
];
const SUBNET_KEYS: &[&str] = &["cidr_block", "free_addresses", "availability_zone"];
const CLUSTER_KEYS: &[&str] = &["instance_type", "max_instances", "availability_zones"];
const IGNORE_KEYS: &[&str] = &["rule", "address", "reason"];
const INSTANCE_TYPE_KEYS: &[&str] = &["max_enis", "awsvpc_tasks_trunked", "source"];

impl Parser<'_> {
    fn line_of(&self, span: Option<Range<usize>>) -> usize {
        match span {
            Some(r) => self.newlines.partition_point(|&nl| nl < r.start) + 1,
            None => 1,
        }
    }

    fn err(&self, span: Option<Range<usize>>, msg: impl std::fmt::Display) -> ConfigError {
        // Values from the file are quoted in messages: no control character may reach the
        // terminal or break the message's single line.
        ConfigError(crate::error::escape_controls(&format!(
            "{}:{}: {msg}",
            self.source,
            self.line_of(span)
        )))
    }

    fn location(&self, span: Option<Range<usize>>) -> String {
        format!("{}:{}", self.source, self.line_of(span))
    }

    /// The top level. (A key set twice in one body never gets here: the HCL parser already
    /// rejects a redefined attribute, with its position.)
    fn config(&self, body: &Body) -> Result<Config, ConfigError> {
        let mut cfg = Config {
            source: Some(self.source.to_string()),
            ..Config::default()
        };
        let mut assume_seen: Option<usize> = None;
        let mut instance_types = Vec::new();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => match a.key.as_str() {
                    "fail_on" => {
                        let v = self.string(a)?;
                        cfg.fail_on = Some(FailOn::parse(v).ok_or_else(|| {
                                self.err(
                                    a.span(),
                                    format!(
                                        "fail_on = \"{v}\" is not valid; use \"error\", \"warning\", \"info\" or \"never\""
                                    ),
                                )
                            })?);
                    }
                    k if TOP_KEYS.contains(&k) => {
                        return Err(self.err(
                            a.span(),
                            format!("`{k}` is a block, not an attribute; write `{k} {{ ... }}`"),
                        ))
                    }
                    k => return Err(self.unknown_key(a.span(), k, "the top level", TOP_KEYS)),
                },
                Structure::Block(b) => match b.ident.as_str() {
                    "rule" => {
                        let (id, ov) = self.rule_block(b)?;
                        if cfg.rules.contains_key(&id) {
                            return Err(self.err(
                                b.span(),
                                format!("rule \"{id}\" is configured twice; merge the two blocks"),
                            ));
                        }
                        cfg.rules.insert(id, ov);
                    }
                    "assume" => {
                        if let Some(first) = assume_seen {
                            return Err(self.err(
                                b.span(),
                                format!("a second `assume` block (the first is at line {first}); put every assumption in one block"),
                            ));
                        }
                        assume_seen = Some(self.line_of(b.span()));
                        cfg.assume = self.assume_block(b)?;
                    }
                    "ignore" => cfg.ignores.push(self.ignore_block(b)?),
                    "instance_type" => instance_types.push((self.instance_type_block(b)?, b)),
                    "fail_on" => {
                        return Err(self.err(
                            b.span(),
                            "`fail_on` is an attribute, not a block; write `fail_on = \"warning\"`",
                        ))
                    }
                    k => return Err(self.unknown_key(b.span(), k, "the top level", TOP_KEYS)),
                },
            }
        }
        // Applied after the whole file is read: `assume` may come first.
        for (o, b) in instance_types {
            if cfg.assume.instances.has_override(&o.name) {
                return Err(self.err(
                    b.span(),
                    format!(
                        "instance_type \"{}\" is configured twice; keep one block",
                        o.name
                    ),
                ));
            }
            cfg.assume
                .instances
                .apply(&o)
                .map_err(|m| self.err(b.span(), m))?;
        }
        Ok(cfg)
    }

    /// `instance_type "c7i.large" { max_enis = 3, awsvpc_tasks_trunked = 10, source = "..." }`.
    fn instance_type_block(&self, b: &Block) -> Result<InstanceOverride, ConfigError> {
        let name = self.one_label(b, "instance_type \"c7i.large\" { max_enis = 3 }")?;
        let mut o = InstanceOverride {
            name: name.to_string(),
            max_enis: None,
            awsvpc_tasks_trunked: None,
            source: None,
            location: self.location(b.span()),
        };
        for a in self.attributes_only(&b.body, "an instance_type block", INSTANCE_TYPE_KEYS)? {
            match a.key.as_str() {
                "max_enis" => {
                    o.max_enis = Some(self.bounded(
                        a,
                        1,
                        MAX_ENIS_LIMIT,
                        "the primary ENI counts, so at least 1",
                    )?)
                }
                "awsvpc_tasks_trunked" => {
                    o.awsvpc_tasks_trunked =
                        Some(self.bounded(a, 1, MAX_TRUNKED_LIMIT, "at least 1")?)
                }
                "source" => {
                    let v = self.string(a)?.trim();
                    if v.is_empty() {
                        return Err(self.err(
                            a.span(),
                            "source is empty; say where the numbers come from (e.g. \"aws ec2 describe-instance-types, 2026-12-01\")",
                        ));
                    }
                    o.source = Some(v.to_string());
                }
                k => {
                    return Err(self.unknown_key(
                        a.span(),
                        k,
                        "an instance_type block",
                        INSTANCE_TYPE_KEYS,
                    ))
                }
            }
        }
        Ok(o)
    }

    /// A whole number in `lo..=hi`; outside it the value is impossible.
    fn bounded(&self, a: &Attribute, lo: u32, hi: u32, why_lo: &str) -> Result<u32, ConfigError> {
        let v = self.uint(a)?;
        u32::try_from(v)
            .ok()
            .filter(|v| (lo..=hi).contains(v))
            .ok_or_else(|| {
                self.err(
                    a.span(),
                    format!(
                        "{} = {v} is not possible: it must be {lo}-{hi} ({why_lo})",
                        a.key.as_str()
                    ),
                )
            })
    }

    fn rule_block(&self, b: &Block) -> Result<(RuleId, RuleOverride), ConfigError> {
        let label = self.one_label(b, "rule \"NET070\" { ... }")?;
        let id = self.rule_id(label, b.span())?;
        let mut ov = RuleOverride::default();
        for a in self.attributes_only(&b.body, "a rule block", RULE_KEYS)? {
            match a.key.as_str() {
                "enabled" => ov.enabled = Some(self.bool(a)?),
                "severity" => {
                    let v = self.string(a)?;
                    ov.severity = Some(Severity::parse(v).ok_or_else(|| {
                        self.err(
                            a.span(),
                            format!("severity = \"{v}\" is not valid; use \"error\", \"warning\" or \"info\""),
                        )
                    })?);
                }
                k => return Err(self.unknown_key(a.span(), k, "a rule block", RULE_KEYS)),
            }
        }
        Ok((id, ov))
    }

    fn assume_block(&self, b: &Block) -> Result<Assumptions, ConfigError> {
        self.no_labels(b)?;
        let mut out = Assumptions::default();
        for s in b.body.iter() {
            match s {
                Structure::Attribute(a) => match a.key.as_str() {
                    "awsvpc_trunking" => {
                        out.awsvpc_trunking = Some(self.bool(a)?);
                        out.locations.awsvpc_trunking = Some(self.location(a.span()));
                    }
                    "dual_stack_ipv6" => {
                        out.dual_stack_ipv6 = Some(self.bool(a)?);
                        out.locations.dual_stack_ipv6 = Some(self.location(a.span()));
                    }
                    "dynamic_port_range" => {
                        let v = self.string(a)?;
                        out.dynamic_port_range = Some(parse_port_range(v).ok_or_else(|| {
                                self.err(
                                    a.span(),
                                    format!("dynamic_port_range = \"{v}\" is not a port range; write it as \"32768-60999\" (first ≤ last, 1-65535)"),
                                )
                            })?);
                    }
                    "reserved_ports" => out.reserved_ports = Some(self.port_list(a)?),
                    k @ ("subnet" | "cluster") => {
                        return Err(self.err(
                            a.span(),
                            format!("`{k}` is a labelled block; write `{k} \"<id>\" {{ ... }}`"),
                        ))
                    }
                    k => {
                        return Err(self.unknown_key(a.span(), k, "the assume block", ASSUME_KEYS))
                    }
                },
                Structure::Block(inner) => match inner.ident.as_str() {
                    "subnet" => {
                        let id = self.one_label(inner, "subnet \"subnet-0abc\" { ... }")?;
                        if out.subnets.contains_key(id) {
                            return Err(self.err(
                                inner.span(),
                                format!("subnet \"{id}\" is assumed twice; keep one block"),
                            ));
                        }
                        out.subnets
                            .insert(id.to_string(), self.subnet_block(inner)?);
                        out.locations
                            .subnets
                            .insert(id.to_string(), self.location(inner.span()));
                    }
                    "cluster" => {
                        let id = self.one_label(inner, "cluster \"prod\" { ... }")?;
                        if out.clusters.contains_key(id) {
                            return Err(self.err(
                                inner.span(),
                                format!("cluster \"{id}\" is assumed twice; keep one block"),
                            ));
                        }
                        out.clusters
                            .insert(id.to_string(), self.cluster_block(inner, id)?);
                        out.locations
                            .clusters
                            .insert(id.to_string(), self.location(inner.span()));
                    }
                    k => {
                        return Err(self.unknown_key(
                            inner.span(),
                            k,
                            "the assume block",
                            ASSUME_KEYS,
                        ))
                    }
                },
            }
        }
        Ok(out)
    }

    fn subnet_block(&self, b: &Block) -> Result<SubnetAssumption, ConfigError> {
        let mut out = SubnetAssumption::default();
        for a in self.attributes_only(&b.body, "a subnet block", SUBNET_KEYS)? {
            match a.key.as_str() {
                "cidr_block" => {
                    let v = self.string(a)?;
                    if !is_ipv4_cidr(v) {
                        return Err(self.err(
                            a.span(),
                            format!("cidr_block = \"{v}\" is not an IPv4 CIDR; write it like \"10.0.1.0/24\""),
                        ));
                    }
                    out.cidr_block = Some(v.to_string());
                }
                "free_addresses" => out.free_addresses = Some(self.uint(a)?),
                "availability_zone" => out.availability_zone = Some(self.string(a)?.to_string()),
                k => return Err(self.unknown_key(a.span(), k, "a subnet block", SUBNET_KEYS)),
            }
        }
        if out == SubnetAssumption::default() {
            return Err(self.err(
                b.span(),
                "this subnet block assumes nothing; set cidr_block, free_addresses or availability_zone",
            ));
        }
        Ok(out)
    }

    fn cluster_block(&self, b: &Block, label: &str) -> Result<ClusterAssumption, ConfigError> {
        let mut instance_type = None;
        let mut max_instances = None;
        let mut zones = Vec::new();
        for a in self.attributes_only(&b.body, "a cluster block", CLUSTER_KEYS)? {
            match a.key.as_str() {
                "instance_type" => {
                    let t = self.string(a)?.to_string();
                    self.instance_types.borrow_mut().push(AssumedType {
                        name: t.clone(),
                        label: label.to_string(),
                        span: a.span(),
                    });
                    instance_type = Some(t);
                }
                "max_instances" => {
                    let n = self.uint(a)?;
                    if n == 0 {
                        return Err(self.err(
                            a.span(),
                            "max_instances = 0 gives the cluster no capacity; set the autoscaling group's max size (1 or more)",
                        ));
                    }
                    max_instances = Some(n);
                }
                "availability_zones" => zones = self.string_list(a)?,
                k => return Err(self.unknown_key(a.span(), k, "a cluster block", CLUSTER_KEYS)),
            }
        }
        let missing = |what: &str| {
            self.err(
                b.span(),
                format!("this cluster block lacks `{what}`; a cluster assumption needs instance_type and max_instances"),
            )
        };
        Ok(ClusterAssumption {
            instance_type: instance_type.ok_or_else(|| missing("instance_type"))?,
            max_instances: max_instances.ok_or_else(|| missing("max_instances"))?,
            availability_zones: zones,
        })
    }

    /// Every instance type an `assume cluster` names must be one ecsnet has ENI data for:
    /// a typo would otherwise leave the cluster's capacity unknown and every capacity rule
    /// unverifiable, which a gate does not notice.
    fn check_instance_types(&self, cfg: &Config) -> Result<(), ConfigError> {
        for AssumedType {
            name: t,
            label,
            span,
        } in self.instance_types.borrow().iter()
        {
            // A type described by an `instance_type` block counts as known.
            if cfg.assume.instances.lookup(t).is_some() {
                continue;
            }
            let hint = match crate::instances::suggest(t, 3).as_slice() {
                [] => String::new(),
                close => format!(" (did you mean {}?)", close.join(", ")),
            };
            return Err(self.err(
                span.clone(),
                format!(
                    "instance_type = {} in assume cluster \"{label}\" is not an instance type ecsnet has ENI data for{hint}; fix the name (`ecsnet instance-type NAME` shows what ecsnet knows) or describe it in an `instance_type` block",
                    crate::error::excerpt(t)
                ),
            ));
        }
        Ok(())
    }

    fn ignore_block(&self, b: &Block) -> Result<Ignore, ConfigError> {
        self.no_labels(b)?;
        let mut rule = None;
        let mut address = None;
        let mut reason = None;
        for a in self.attributes_only(&b.body, "an ignore block", IGNORE_KEYS)? {
            match a.key.as_str() {
                "rule" => {
                    let v = self.string(a)?;
                    rule = Some(if v == "*" {
                        None
                    } else {
                        Some(self.rule_id(v, a.span())?)
                    });
                }
                "address" => {
                    let v = self.string(a)?;
                    crate::engine::address_glob(v).map_err(|e| {
                        self.err(a.span(), format!("address pattern \"{v}\" is invalid: {e}"))
                    })?;
                    address = Some(v.to_string());
                }
                "reason" => {
                    let v = self.string(a)?;
                    if v.trim().is_empty() {
                        return Err(self.err(
                            a.span(),
                            "ignore reason is empty; say why the finding is acceptable",
                        ));
                    }
                    reason = Some(v.to_string());
                }
                k => return Err(self.unknown_key(a.span(), k, "an ignore block", IGNORE_KEYS)),
            }
        }
        let rule = rule.ok_or_else(|| {
            self.err(
                b.span(),
                "ignore block lacks `rule`; name the rule id (e.g. rule = \"NET018\") or \"*\" for every rule",
            )
        })?;
        let reason = reason.ok_or_else(|| {
            self.err(
                b.span(),
                "ignore block lacks `reason`; every ignore must say why (reason = \"...\")",
            )
        })?;
        Ok(Ignore {
            rule,
            address: address.unwrap_or_else(|| "*".to_string()),
            reason,
            location: self.location(b.span()),
        })
    }

    // ---- shapes ----

    fn one_label<'b>(&self, b: &'b Block, example: &str) -> Result<&'b str, ConfigError> {
        match b.labels.as_slice() {
            [l] => Ok(l.as_str()),
            _ => Err(self.err(
                b.span(),
                format!(
                    "`{}` block needs exactly one label; write `{example}`",
                    b.ident.as_str()
                ),
            )),
        }
    }

    fn no_labels(&self, b: &Block) -> Result<(), ConfigError> {
        if b.labels.is_empty() {
            Ok(())
        } else {
            Err(self.err(
                b.span(),
                format!(
                    "`{}` block takes no label; write `{} {{ ... }}`",
                    b.ident.as_str(),
                    b.ident.as_str()
                ),
            ))
        }
    }

    fn attributes_only<'b>(
        &self,
        body: &'b Body,
        where_: &str,
        allowed: &[&str],
    ) -> Result<Vec<&'b Attribute>, ConfigError> {
        body.iter()
            .map(|s| match s {
                Structure::Attribute(a) => Ok(a),
                Structure::Block(b) => {
                    Err(self.unknown_key(b.span(), b.ident.as_str(), where_, allowed))
                }
            })
            .collect()
    }

    fn unknown_key(
        &self,
        span: Option<Range<usize>>,
        key: &str,
        where_: &str,
        allowed: &[&str],
    ) -> ConfigError {
        let hint = match closest(key, allowed) {
            Some(c) => format!("did you mean `{c}`? "),
            None => String::new(),
        };
        self.err(
            span,
            format!(
                "unknown key `{key}` in {where_}; {hint}expected one of: {}",
                allowed.join(", ")
            ),
        )
    }

    fn rule_id(&self, v: &str, span: Option<Range<usize>>) -> Result<RuleId, ConfigError> {
        match self.rule_ids.iter().find(|id| id.eq_ignore_ascii_case(v)) {
            // The ids given to the parser are the catalog's (or a test's own).
            Some(id) => Ok(RuleId::new(id)),
            None => {
                let hint = match closest(&v.to_ascii_uppercase(), self.rule_ids) {
                    Some(c) => format!(" (did you mean {c}?)"),
                    None => String::new(),
                };
                Err(self.err(
                    span,
                    format!("unknown rule id \"{v}\"{hint}; run `ecsnet rules` for the list"),
                ))
            }
        }
    }

    // ---- values ----

    fn type_err(&self, a: &Attribute, want: &str, example: &str) -> ConfigError {
        self.err(
            a.span(),
            format!(
                "`{}` must be {want} (found {}); write e.g. `{} = {example}`",
                a.key.as_str(),
                describe(&a.value),
                a.key.as_str()
            ),
        )
    }

    fn string<'b>(&self, a: &'b Attribute) -> Result<&'b str, ConfigError> {
        match unparen(&a.value) {
            Expression::String(s) => Ok(s.as_str()),
            _ => Err(self.type_err(a, "a literal string", "\"...\"")),
        }
    }

    fn bool(&self, a: &Attribute) -> Result<bool, ConfigError> {
        match unparen(&a.value) {
            Expression::Bool(b) => Ok(*b.value()),
            _ => Err(self.type_err(a, "true or false", "true")),
        }
    }

    fn uint(&self, a: &Attribute) -> Result<u64, ConfigError> {
        match unparen(&a.value) {
            Expression::Number(n) => n
                .value()
                .as_u64()
                .ok_or_else(|| self.type_err(a, "a whole number ≥ 0", "200")),
            _ => Err(self.type_err(a, "a whole number ≥ 0", "200")),
        }
    }

    fn string_list(&self, a: &Attribute) -> Result<Vec<String>, ConfigError> {
        let Expression::Array(arr) = unparen(&a.value) else {
            return Err(self.type_err(a, "a list of strings", "[\"eu-west-1a\"]"));
        };
        arr.iter()
            .map(|e| match unparen(e) {
                Expression::String(s) => Ok(s.as_str().to_string()),
                _ => Err(self.type_err(a, "a list of strings", "[\"eu-west-1a\"]")),
            })
            .collect()
    }

    fn port_list(&self, a: &Attribute) -> Result<Vec<u16>, ConfigError> {
        let Expression::Array(arr) = unparen(&a.value) else {
            return Err(self.type_err(a, "a list of port numbers", "[22, 2375]"));
        };
        arr.iter()
            .map(|e| match unparen(e) {
                Expression::Number(n) => n
                    .value()
                    .as_u64()
                    .and_then(|p| u16::try_from(p).ok())
                    .filter(|&p| p >= 1)
                    .ok_or_else(|| {
                        self.err(
                            a.span(),
                            format!(
                                "`{}` holds {}, which is not a port (1-65535)",
                                a.key.as_str(),
                                n.value()
                            ),
                        )
                    }),
                _ => Err(self.type_err(a, "a list of port numbers", "[22, 2375]")),
            })
            .collect()
    }
}

fn unparen(e: &Expression) -> &Expression {
    match e {
        Expression::Parenthesis(p) => unparen(p.inner()),
        e => e,
    }
}

fn describe(e: &Expression) -> &'static str {
    match unparen(e) {
        Expression::Null(_) => "null",
        Expression::Bool(_) => "a bool",
        Expression::Number(_) => "a number",
        Expression::String(_) => "a string",
        Expression::Array(_) => "a list",
        Expression::Object(_) => "an object",
        Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
            "a template (interpolation is not supported here)"
        }
        Expression::Variable(_) | Expression::Traversal(_) => {
            "a reference (variables are not supported here)"
        }
        _ => "an expression (only literal values are supported)",
    }
}

fn parse_port_range(s: &str) -> Option<(u16, u16)> {
    let (a, b) = s.split_once('-')?;
    let a: u16 = a.trim().parse().ok()?;
    let b: u16 = b.trim().parse().ok()?;
    (a >= 1 && a <= b).then_some((a, b))
}

fn is_ipv4_cidr(s: &str) -> bool {
    let Some((ip, prefix)) = s.split_once('/') else {
        return false;
    };
    ip.parse::<std::net::Ipv4Addr>().is_ok() && prefix.parse::<u8>().is_ok_and(|p| p <= 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: &[&str] = &["NET018", "NET070", "NET071"];

    fn parse(text: &str) -> Result<Config, ConfigError> {
        parse_with_rules(text, ".ecsnet.hcl", IDS)
    }

    fn err(text: &str) -> String {
        parse(text).expect_err("expected a configuration error").0
    }

    const FULL: &str = r#"
fail_on = "warning"

rule "NET070" {
  enabled  = false
}

rule "net071" {
  severity = "info"
}

assume {
  awsvpc_trunking    = true
  dual_stack_ipv6    = false
  dynamic_port_range = "32768-60999"
  reserved_ports     = [22, 2375]

  subnet "subnet-0abc" {
    cidr_block        = "10.0.1.0/24"
    free_addresses    = 200
    availability_zone = "eu-west-1a"
  }

  cluster "prod" {
    instance_type      = "c5.large"
    max_instances      = 4
    availability_zones = ["eu-west-1a", "eu-west-1b"]
  }
}

ignore {
  rule    = "NET018"
  address = "module.legacy.*"
  reason  = "legacy service keeps its port until Q3"
}
"#;

    #[test]
    fn parses_every_setting() {
        let c = parse(FULL).unwrap();
        assert_eq!(c.source.as_deref(), Some(".ecsnet.hcl"));
        assert_eq!(c.fail_on, Some(FailOn::Severity(Severity::Warning)));
        assert_eq!(c.rules["NET070"].enabled, Some(false));
        assert_eq!(c.rules["NET070"].severity, None);
        // ids are canonicalised to upper case
        assert_eq!(c.rules["NET071"].severity, Some(Severity::Info));
        assert_eq!(c.assume.awsvpc_trunking, Some(true));
        assert_eq!(c.assume.dual_stack_ipv6, Some(false));
        assert_eq!(c.assume.dynamic_port_range, Some((32768, 60999)));
        assert_eq!(c.assume.reserved_ports, Some(vec![22, 2375]));
        assert_eq!(
            c.assume.subnets["subnet-0abc"],
            SubnetAssumption {
                cidr_block: Some("10.0.1.0/24".into()),
                free_addresses: Some(200),
                availability_zone: Some("eu-west-1a".into()),
            }
        );
        assert_eq!(
            c.assume.clusters["prod"],
            ClusterAssumption {
                instance_type: "c5.large".into(),
                max_instances: 4,
                availability_zones: vec!["eu-west-1a".into(), "eu-west-1b".into()],
            }
        );
        assert_eq!(c.ignores.len(), 1);
        let i = &c.ignores[0];
        assert_eq!(i.rule_label(), "NET018");
        assert_eq!(i.address, "module.legacy.*");
        assert_eq!(i.reason, "legacy service keeps its port until Q3");
        assert_eq!(i.location, ".ecsnet.hcl:31");
    }

    #[test]
    fn empty_file_is_the_default() {
        let c = parse("# nothing here\n").unwrap();
        assert!(c.fail_on.is_none() && c.rules.is_empty() && c.ignores.is_empty());
    }

    #[test]
    fn fail_on_never() {
        assert_eq!(
            parse("fail_on = \"never\"").unwrap().fail_on,
            Some(FailOn::Never)
        );
    }

    #[test]
    fn malformed_hcl_names_file_line_and_column() {
        let e = err("fail_on = \"error\"\nrule \"NET070\" {\n  enabled = \n}\n");
        assert!(e.starts_with(".ecsnet.hcl:"), "{e}");
        assert!(e.contains("invalid HCL"), "{e}");
        assert!(!e.contains('\n'), "one line: {e}");
        let e = err("assume {\n  awsvpc_trunking = true\n");
        assert!(e.starts_with(".ecsnet.hcl:"), "{e}");
    }

    #[test]
    fn unknown_top_level_key_names_line_and_suggests() {
        let e = err("\n\nfail_one = \"error\"\n");
        assert!(
            e.starts_with(".ecsnet.hcl:3: unknown key `fail_one`"),
            "{e}"
        );
        assert!(e.contains("did you mean `fail_on`"), "{e}");
    }

    #[test]
    fn unknown_block_and_nested_keys() {
        let e = err("assumes {\n}\n");
        assert!(e.starts_with(".ecsnet.hcl:1: unknown key `assumes`"), "{e}");
        let e = err("assume {\n  trunking = true\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:2: unknown key `trunking`"),
            "{e}"
        );
        let e = err("assume {\n  subnet \"s\" {\n    cidr = \"10.0.0.0/24\"\n  }\n}\n");
        assert!(e.starts_with(".ecsnet.hcl:3: unknown key `cidr`"), "{e}");
        let e = err("rule \"NET070\" {\n  enabled = true\n  level = \"info\"\n}\n");
        assert!(e.starts_with(".ecsnet.hcl:3: unknown key `level`"), "{e}");
        let e = err("rule \"NET070\" {\n  nested {\n  }\n}\n");
        assert!(e.starts_with(".ecsnet.hcl:2: unknown key `nested`"), "{e}");
    }

    #[test]
    fn wrong_types_name_the_line() {
        let e = err("fail_on = 1\n");
        assert!(
            e.starts_with(".ecsnet.hcl:1: `fail_on` must be a literal string"),
            "{e}"
        );
        let e = err("assume {\n  awsvpc_trunking = \"yes\"\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:2: `awsvpc_trunking` must be true or false"),
            "{e}"
        );
        let e = err("assume {\n  reserved_ports = [22, \"x\"]\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:2: `reserved_ports` must be a list"),
            "{e}"
        );
        let e = err("assume {\n  reserved_ports = [70000]\n}\n");
        assert!(e.contains("not a port"), "{e}");
        let e = err("assume {\n  subnet \"s\" {\n    free_addresses = -3\n  }\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:3: `free_addresses` must be a whole number"),
            "{e}"
        );
        let e = err("assume {\n  dynamic_port_range = \"60999-32768\"\n}\n");
        assert!(e.starts_with(".ecsnet.hcl:2: dynamic_port_range"), "{e}");
        let e = err("assume {\n  subnet \"s\" {\n    cidr_block = \"10.0.1.0\"\n  }\n}\n");
        assert!(e.contains("not an IPv4 CIDR"), "{e}");
        let e = err("fail_on = \"fatal\"\n");
        assert!(e.contains("fail_on = \"fatal\" is not valid"), "{e}");
        let e = err("rule \"NET070\" {\n  severity = \"critical\"\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:2: severity = \"critical\""),
            "{e}"
        );
        let e = err("fail_on = \"${var.x}\"\n");
        assert!(e.contains("interpolation is not supported"), "{e}");
    }

    #[test]
    fn unknown_rule_ids_are_rejected() {
        let e = err("\nrule \"NET700\" {\n  enabled = false\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:2: unknown rule id \"NET700\""),
            "{e}"
        );
        assert!(e.contains("did you mean NET070"), "{e}");
        let e = err("ignore {\n  rule = \"NET999\"\n  reason = \"x\"\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:2: unknown rule id \"NET999\""),
            "{e}"
        );
    }

    #[test]
    fn the_real_rule_list_is_used_by_parse_str() {
        let e = parse_str("rule \"NET999\" {\n  enabled = false\n}\n", "x.hcl").unwrap_err();
        assert!(e.0.starts_with("x.hcl:1: unknown rule id"), "{e}");
    }

    #[test]
    fn ignore_needs_a_reason() {
        let e = err("\nignore {\n  rule = \"NET018\"\n  address = \"*\"\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:2: ignore block lacks `reason`"),
            "{e}"
        );
        let e = err("ignore {\n  rule = \"NET018\"\n  reason = \"  \"\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:3: ignore reason is empty"),
            "{e}"
        );
        let e = err("ignore {\n  reason = \"x\"\n}\n");
        assert!(e.contains("lacks `rule`"), "{e}");
    }

    #[test]
    fn ignore_defaults_and_wildcard_rule() {
        let c = parse("ignore {\n  rule = \"*\"\n  reason = \"sandbox\"\n}\n").unwrap();
        assert_eq!(c.ignores[0].rule, None);
        assert_eq!(c.ignores[0].rule_label(), "*");
        assert_eq!(c.ignores[0].address, "*");
    }

    #[test]
    fn duplicates_are_rejected() {
        // the HCL parser itself rejects a redefined attribute, with its position
        let e = err("fail_on = \"error\"\nfail_on = \"info\"\n");
        assert!(e.starts_with(".ecsnet.hcl:2:1: invalid HCL"), "{e}");
        assert!(e.contains("redefined"), "{e}");
        let e = err("assume {\n  awsvpc_trunking = true\n  awsvpc_trunking = false\n}\n");
        assert!(e.starts_with(".ecsnet.hcl:3:"), "{e}");
        let e = err("rule \"NET070\" {\n}\nrule \"NET070\" {\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:3: rule \"NET070\" is configured twice"),
            "{e}"
        );
        let e = err("assume {\n}\nassume {\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:3: a second `assume` block"),
            "{e}"
        );
    }

    #[test]
    fn cluster_assumption_needs_type_and_size() {
        let e = err("assume {\n  cluster \"prod\" {\n    max_instances = 4\n  }\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:2: this cluster block lacks `instance_type`"),
            "{e}"
        );
        let e = err("assume {\n  cluster {\n  }\n}\n");
        assert!(e.contains("needs exactly one label"), "{e}");
    }

    #[test]
    fn instance_type_blocks_change_and_add_facts() {
        let c = parse(
            "assume {\n  cluster \"p\" {\n    instance_type = \"x9.mega\"\n    max_instances = 2\n  }\n}\n\n\
             instance_type \"X9.Mega\" {\n  max_enis = 5\n  awsvpc_tasks_trunked = 40\n  source = \"vendor sheet\"\n}\n\
             instance_type \"c7i.large\" {\n  awsvpc_tasks_trunked = 10\n}\n",
        )
        .unwrap();
        let f = c.assume.instances.lookup("x9.mega").unwrap();
        assert_eq!((f.max_enis, f.trunking.tasks_with()), (5, Some(40)));
        assert_eq!(f.overridden_at.as_deref(), Some(".ecsnet.hcl:8"));
        assert_eq!(f.eni_source, "vendor sheet (.ecsnet.hcl:8)");
        let f = c.assume.instances.lookup("c7i.large").unwrap();
        assert_eq!((f.max_enis, f.trunking.tasks_with()), (3, Some(10)));
        match &f.trunking {
            crate::instances::Trunking::Supported { source, .. } => {
                assert_eq!(source, "stated in .ecsnet.hcl:13")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(c.assume.instances.overrides().count(), 2);
        // One-line block, as the hints show it.
        assert!(parse("instance_type \"x9.mega\" { max_enis = 4 }\n").is_ok());
    }

    #[test]
    fn a_value_with_control_characters_gives_one_escaped_line() {
        // Found by the parse_config fuzz target: a newline and a control character inside
        // an assumed instance type reached the message as they were.
        let e = err("assume {\n  cluster \"edge\" {\n    instance_type = \"a\n\u{1}b4.large\"\n    max_instances = 6\n  }\n}\n");
        assert!(!e.contains('\n') && !e.contains('\u{1}'), "{e}");
        assert!(
            e.contains("is not an instance type ecsnet has ENI data for"),
            "{e}"
        );
    }

    #[test]
    fn instance_type_errors_name_file_and_line() {
        let e = err("\ninstance_type \"c5.large\" {\n  max_eni = 3\n}\n");
        assert!(e.starts_with(".ecsnet.hcl:3: unknown key `max_eni`"), "{e}");
        assert!(e.contains("did you mean `max_enis`"), "{e}");
        let e = err("instance_type \"c5.large\" {\n  max_enis = 0\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:2: max_enis = 0 is not possible"),
            "{e}"
        );
        let e = err("instance_type \"c5.large\" {\n  max_enis = 5000\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:2: max_enis = 5000 is not possible"),
            "{e}"
        );
        let e = err("instance_type \"c5.large\" {\n  awsvpc_tasks_trunked = -1\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:2: `awsvpc_tasks_trunked` must be a whole number"),
            "{e}"
        );
        let e = err("\n\ninstance_type \"c5.large\" {\n  awsvpc_tasks_trunked = 1\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:3: awsvpc_tasks_trunked = 1 is below the 2 awsvpc tasks"),
            "{e}"
        );
        let e = err("instance_type \"x9.mega\" {\n  source = \"x\"\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:1: instance_type \"x9.mega\" sets neither"),
            "{e}"
        );
        let e = err("instance_type \"x9.mega\" {\n  awsvpc_tasks_trunked = 9\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:1: instance_type \"x9.mega\" is not among"),
            "{e}"
        );
        let e = err("instance_type \"c5 large\" {\n  max_enis = 3\n}\n");
        assert!(e.contains("is not an EC2 instance type name"), "{e}");
        let e = err("instance_type {\n  max_enis = 3\n}\n");
        assert!(e.contains("needs exactly one label"), "{e}");
        let e = err("instance_type \"c5.large\" {\n  max_enis = 3\n  source = \" \"\n}\n");
        assert!(e.starts_with(".ecsnet.hcl:3: source is empty"), "{e}");
        let e = err("instance_type \"c5.large\" {\n  max_enis = 3\n}\ninstance_type \"C5.large\" {\n  max_enis = 4\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:4: instance_type \"C5.large\" is configured twice"),
            "{e}"
        );
        let e = err("instance_type = \"c5.large\"\n");
        assert!(e.contains("`instance_type` is a block"), "{e}");
    }

    #[test]
    fn assumed_instance_types_must_be_known() {
        let e = err("assume {\n  cluster \"prod\" {\n    instance_type = \"c5.lrge\"\n    max_instances = 2\n  }\n}\n");
        assert!(
            e.starts_with(".ecsnet.hcl:3: instance_type = \"c5.lrge\" in assume cluster \"prod\" is not an instance type"),
            "{e}"
        );
        assert!(e.contains("did you mean c5.large"), "{e}");
        assert!(parse("assume {\n  cluster \"prod\" {\n    instance_type = \"C5.Large\"\n    max_instances = 2\n  }\n}\n").is_ok());
    }

    #[test]
    fn assumption_locations_are_kept() {
        let c = parse(FULL).unwrap();
        let l = &c.assume.locations;
        assert_eq!(l.awsvpc_trunking.as_deref(), Some(".ecsnet.hcl:13"));
        assert_eq!(l.dual_stack_ipv6.as_deref(), Some(".ecsnet.hcl:14"));
        assert_eq!(l.subnets["subnet-0abc"], ".ecsnet.hcl:18");
        assert_eq!(l.clusters["prod"], ".ecsnet.hcl:24");
    }

    #[test]
    fn bom_is_tolerated() {
        assert!(parse("\u{feff}fail_on = \"info\"\n").is_ok());
    }

    #[test]
    fn load_reports_missing_file() {
        let e = load(Path::new("/nonexistent/.ecsnet.hcl")).unwrap_err();
        assert!(
            e.0.starts_with("/nonexistent/.ecsnet.hcl: cannot read"),
            "{e}"
        );
    }
}
