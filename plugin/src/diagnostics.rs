//! Findings: what a rule reports, independent of how it is printed.

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" | "note" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule id (`NET070`): one of the catalog's, so a typo cannot name a rule that does not
/// exist. It reads as the string it holds: it compares with `&str`, derefs to `str` and
/// serializes as the string, so reports are unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(&'static str);

impl RuleId {
    /// A rule's own id, as `declare_rule!` writes it.
    pub const fn new(id: &'static str) -> RuleId {
        RuleId(id)
    }

    /// The catalog's id for `s` (any case), or None when no rule has it.
    pub fn parse(s: &str) -> Option<RuleId> {
        crate::rules::all()
            .into_iter()
            .map(|r| r.meta().id)
            .find(|id| id.as_str().eq_ignore_ascii_case(s))
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

/// No rule: only for a `Diagnostic::default()` that a builder fills in.
impl Default for RuleId {
    fn default() -> RuleId {
        RuleId("")
    }
}

/// An id written in code (tests, fixtures); text read from users goes through
/// [`RuleId::parse`].
impl From<&'static str> for RuleId {
    fn from(id: &'static str) -> RuleId {
        RuleId(id)
    }
}

impl std::ops::Deref for RuleId {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl std::borrow::Borrow<str> for RuleId {
    fn borrow(&self) -> &str {
        self.0
    }
}

impl AsRef<str> for RuleId {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<RuleId> for &str {
    fn eq(&self, other: &RuleId) -> bool {
        *self == other.0
    }
}

impl PartialEq<String> for RuleId {
    fn eq(&self, other: &String) -> bool {
        self.0 == other.as_str()
    }
}

impl PartialEq<RuleId> for String {
    fn eq(&self, other: &RuleId) -> bool {
        self.as_str() == other.0
    }
}

impl PartialEq<RuleId> for str {
    fn eq(&self, other: &RuleId) -> bool {
        self == other.0
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RuleId::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rule id \"{s}\"")))
    }
}

/// One finding. Never contains a sensitive value: rules build messages with
/// [`crate::model::Field::show`], which redacts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Rule id, e.g. `NET070`.
    pub rule: RuleId,
    pub severity: Severity,
    /// Resource instance address the finding is about.
    pub address: String,
    /// Attribute path inside that resource, e.g. `network_configuration[0].subnets`
    /// or `container_definitions[0].portMappings[1].hostPort`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// One-line statement of the problem.
    pub message: String,
    /// The arithmetic or evidence behind the finding (may span lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// AWS documentation for the rule.
    pub url: String,
    /// True when the rule could not decide because an input is unknown at plan time or
    /// lives outside the plan; `help` then says how to supply it.
    #[serde(default)]
    pub unverifiable: bool,
    /// Other resources involved (target group, cluster, subnets...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// Index of the plan (order given on the command line) the address belongs to.
    #[serde(default)]
    pub plan: usize,
    /// Set when an `ignore` block in the configuration, or an `ecsnet:ignore` comment in
    /// the Terraform sources, suppresses the finding: its reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
    /// The shared subject of a problem several resources have (a cluster, a capacity
    /// provider, a subnet), filled by the rule. Findings of one rule with the same group,
    /// discriminator and wording are one problem: the report lists it once, with every
    /// address in [`Diagnostic::also`] (see [`crate::findings`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// What tells this problem apart from other findings of the same rule on the same
    /// resources (a port/protocol, a subnet, a capacity provider); part of the fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    /// The other resources that have this very problem, when it is reported once for
    /// several (sorted; `address` is the first of them all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// Stable identity of the problem across runs: rule, addresses and discriminator,
    /// independent of the wording and of where the plan file lies. Set by the report.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fingerprint: String,
    /// True when `--baseline` lists this finding: it is known, and does not fail the gate.
    #[serde(default)]
    pub baselined: bool,
    /// Where the finding points: the `.tf` line of the attribute or block concerned when
    /// the Terraform sources are read, else the resource's entry in the plan JSON file.
    /// Filled in one place after the rules run (`crate::locate`), never by a rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// For an unverifiable finding: the inputs it lacks, each with its [`MissingKind`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<Missing>,
}

/// A place in a file a finding points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// A `.tf` file relative to the repository root (or to the working directory outside a
    /// repository), never absolute; or the plan file as given on the command line.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (bytes), given for plan files, whose JSON is usually one line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// What the file is.
    pub kind: LocationKind,
}

/// Whether a [`Location`] is in the Terraform sources or in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LocationKind {
    /// A `.tf` file of the configuration.
    Source,
    /// The plan JSON file.
    Plan,
}

impl std::fmt::Display for Location {
    /// `path:line` or `path:line:column`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.column {
            Some(c) => write!(f, "{}:{}:{c}", self.file, self.line),
            None => write!(f, "{}:{}", self.file, self.line),
        }
    }
}

impl Diagnostic {
    /// Sort key for stable output: plan, address, rule, attribute, message.
    pub fn sort_key(&self) -> (usize, &str, &str, &str, &str) {
        (
            self.plan,
            &self.address,
            &self.rule,
            self.attribute.as_deref().unwrap_or(""),
            &self.message,
        )
    }
}

/// An input a rule needs but the plan does not show, and how the user can supply it. Every
/// "could not verify" finding names its inputs with these (`crate::rules::unverified`
/// words them, and the report lists them under `missing`), and `ecsnet capacity` lists them.
/// The constructors are the one place an input's [`MissingKind`] is decided: every site that
/// finds an input missing says which kind it is by the constructor it calls
/// ([`Missing::after_apply`], [`Missing::outside_plan`], [`Missing::hidden`],
/// [`Missing::sensitive`], or [`Missing::of_link`] for a link that does not reach its target).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    /// What is missing, naming the resource and attribute.
    pub what: String,
    /// How to supply it: a sentence ("Reference the ... resource directly"), or what to
    /// supply ("a known max_size in the plan", "`assume { ... }` in .ecsnet.hcl").
    pub supply: String,
    /// Why a plan reader cannot know it.
    pub kind: MissingKind,
    /// The entry of an `assume` block that supplies it (`subnet "a" { cidr_block = ... }`),
    /// when there is one: a note missing several such inputs shows one `assume { ... }`
    /// block holding every entry (`crate::rules::unverified::supply`).
    #[serde(skip)]
    pub assume: Option<String>,
}

/// Why an input is missing: whether any reader of the plan (and of the Terraform sources)
/// could know it, or only ecsnet could not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingKind {
    /// The value exists only after apply: an attribute the provider computes when it
    /// creates the object (a subnet's IPv6 block, an Auto Scaling group's `max_size` set
    /// from another resource's computed attribute), or a data source Terraform defers to apply.
    AfterApply,
    /// The plan does not contain the object: a literal id or ARN, an object another state
    /// manages, an existing subnet's route table, an account setting never planned.
    OutsidePlan,
    /// The plan and the sources hold the value, but ecsnet could not follow the
    /// configuration to it: ecsnet's limitation, not the plan's.
    Hidden,
    /// Terraform marks the value sensitive, and ecsnet never prints sensitive values.
    Sensitive,
}

impl MissingKind {
    pub const ALL: [MissingKind; 4] = [
        MissingKind::AfterApply,
        MissingKind::OutsidePlan,
        MissingKind::Hidden,
        MissingKind::Sensitive,
    ];

    /// The kind of one input that stands for several (a sentence naming them all): ecsnet's
    /// own limitation first, then a sensitive value, then a value known after apply.
    pub fn combine(self, other: MissingKind) -> MissingKind {
        let rank = |k: MissingKind| match k {
            MissingKind::Hidden => 0,
            MissingKind::Sensitive => 1,
            MissingKind::AfterApply => 2,
            MissingKind::OutsidePlan => 3,
        };
        if rank(other) < rank(self) {
            other
        } else {
            self
        }
    }

    /// Adds `k` to the kind of several inputs named together (see [`MissingKind::combine`]).
    pub fn add(acc: &mut Option<MissingKind>, k: MissingKind) {
        *acc = Some(acc.map_or(k, |a| a.combine(k)));
    }

    /// The name reports use (`after_apply`, `outside_plan`, `hidden`, `sensitive`).
    pub fn as_str(self) -> &'static str {
        match self {
            MissingKind::AfterApply => "after_apply",
            MissingKind::OutsidePlan => "outside_plan",
            MissingKind::Hidden => "hidden",
            MissingKind::Sensitive => "sensitive",
        }
    }

    /// The kind of a link that does not reach an entity of the plan: one that names a data
    /// source the model does not hold names a read Terraform defers to apply (a data source
    /// read while planning is in the plan's prior state, and in the model); one that names
    /// another address or a literal points outside the plan (another plan, another state,
    /// an existing object); one that names nothing, or several candidates that disagree, is
    /// a link the configuration hides from ecsnet.
    pub fn of_link(link: &crate::model::Link) -> MissingKind {
        use crate::model::Resolution;
        let data = |a: &str| a.starts_with("data.") || a.contains(".data.");
        match link.resolved_by {
            _ if link.address.as_deref().is_some_and(data) => MissingKind::AfterApply,
            _ if link.address.is_some() || link.literal.is_some() => MissingKind::OutsidePlan,
            Resolution::OutsidePlan => MissingKind::OutsidePlan,
            _ => MissingKind::Hidden,
        }
    }
}

impl std::fmt::Display for MissingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Missing {
    pub fn new(what: impl Into<String>, supply: impl Into<String>, kind: MissingKind) -> Self {
        Missing {
            what: what.into(),
            supply: supply.into(),
            kind,
            assume: None,
        }
    }
    /// The `assume` block entry that supplies the input.
    pub fn with_assume(mut self, entry: impl Into<String>) -> Self {
        self.assume = Some(entry.into());
        self
    }
    /// A value Terraform computes at apply.
    pub fn after_apply(what: impl Into<String>, supply: impl Into<String>) -> Self {
        Missing::new(what, supply, MissingKind::AfterApply)
    }
    /// An object the plan does not contain.
    pub fn outside_plan(what: impl Into<String>, supply: impl Into<String>) -> Self {
        Missing::new(what, supply, MissingKind::OutsidePlan)
    }
    /// A value ecsnet could not follow the configuration to.
    pub fn hidden(what: impl Into<String>, supply: impl Into<String>) -> Self {
        Missing::new(what, supply, MissingKind::Hidden)
    }
    /// A value Terraform marks sensitive.
    pub fn sensitive(what: impl Into<String>, supply: impl Into<String>) -> Self {
        Missing::new(what, supply, MissingKind::Sensitive)
    }
    /// The target of `link`, which does not reach an entity of the plan.
    pub fn of_link(
        link: &crate::model::Link,
        what: impl Into<String>,
        supply: impl Into<String>,
    ) -> Self {
        Missing::new(what, supply, MissingKind::of_link(link))
    }
}

/// A small deterministic generator for tests that compare a fast algorithm with its plain
/// definition over many generated inputs: `next(n)` is in `0..n` (xorshift64 from `seed`).
#[cfg(test)]
pub(crate) fn test_numbers(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    }
}
