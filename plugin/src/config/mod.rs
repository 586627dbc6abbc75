//! `.ecsnet.hcl`: what the user tells ecsnet that the plan cannot show.
//!
//! The data types live here; `parse` turns HCL text into them.

use std::collections::BTreeMap;

use crate::diagnostics::{RuleId, Severity};

mod assumed;
pub mod hint;
mod parse;
pub use assumed::ClusterNames;
pub use parse::{check_syntax, load, parse_str, ConfigError};

/// Parsed configuration. `Config::default()` is what ecsnet uses with no file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from, for messages.
    pub source: Option<String>,
    /// `fail_on = "error" | "warning" | "info" | "never"`.
    pub fail_on: Option<FailOn>,
    /// `rule "NET070" { enabled = false, severity = "warning" }`, by rule id.
    pub rules: BTreeMap<RuleId, RuleOverride>,
    pub assume: Assumptions,
    pub ignores: Vec<Ignore>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Severity(Severity),
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<FailOn> {
        if s.eq_ignore_ascii_case("never") {
            return Some(FailOn::Never);
        }
        Severity::parse(s).map(FailOn::Severity)
    }
}

#[derive(Debug, Clone, Default)]
pub struct RuleOverride {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// Facts the plan cannot show, supplied by the user (`assume { ... }`).
#[derive(Debug, Clone, Default)]
pub struct Assumptions {
    /// `awsvpc_trunking = true`: the account (or instance role) has `awsvpcTrunking` enabled.
    pub awsvpc_trunking: Option<bool>,
    /// `dual_stack_ipv6 = true`: the `dualStackIPv6` account setting is enabled.
    pub dual_stack_ipv6: Option<bool>,
    /// `subnet "subnet-0abc" { cidr_block = "10.0.1.0/24", free_addresses = 200, availability_zone = "eu-west-1a" }`,
    /// keyed by subnet id or plan address.
    pub subnets: BTreeMap<String, SubnetAssumption>,
    /// `cluster "prod" { instance_type = "c5.large", max_instances = 4, availability_zones = [...] }`,
    /// keyed by cluster name, ARN or plan address.
    pub clusters: BTreeMap<String, ClusterAssumption>,
    /// `dynamic_port_range = "32768-60999"` (ECS_DYNAMIC_HOST_PORT_RANGE / ip_local_port_range).
    pub dynamic_port_range: Option<(u16, u16)>,
    /// `reserved_ports = [22, 2375, ...]` (ECS_RESERVED_PORTS); replaces the agent defaults.
    pub reserved_ports: Option<Vec<u16>>,
    /// Instance facts: the embedded tables with the top-level `instance_type "NAME" { ... }`
    /// blocks applied. Kept with the assumptions so that every rule that reads them looks
    /// instance types up in the same place.
    pub instances: crate::instances::Catalog,
    /// Where each assumption is written, for findings about the assumptions themselves.
    pub locations: AssumeLocations,
}

/// Where assumptions are written (`.ecsnet.hcl:12`). Empty for assumptions built in code.
#[derive(Debug, Clone, Default)]
pub struct AssumeLocations {
    /// By the label of the `subnet` block.
    pub subnets: BTreeMap<String, String>,
    /// By the label of the `cluster` block.
    pub clusters: BTreeMap<String, String>,
    pub awsvpc_trunking: Option<String>,
    pub dual_stack_ipv6: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SubnetAssumption {
    pub cidr_block: Option<String>,
    pub free_addresses: Option<u64>,
    pub availability_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClusterAssumption {
    pub instance_type: String,
    /// Container instances at the most (the autoscaling group's max size).
    pub max_instances: u64,
    pub availability_zones: Vec<String>,
}

/// `ignore { rule = "NET018", address = "module.legacy.*", reason = "..." }`.
#[derive(Debug, Clone)]
pub struct Ignore {
    /// The rule, or None for every rule (`rule = "*"`).
    pub rule: Option<RuleId>,
    /// Glob over resource addresses (`*` matches any run of characters, brackets included).
    pub address: String,
    pub reason: String,
    /// Where it was written (`.ecsnet.hcl:12`), for the report.
    pub location: String,
}

impl Ignore {
    /// Whether the block covers findings of `rule`.
    pub fn applies_to(&self, rule: RuleId) -> bool {
        self.rule.is_none_or(|r| r == rule)
    }

    /// The rule as written: its id, or `*`.
    pub fn rule_label(&self) -> &'static str {
        self.rule.map_or("*", |r| r.as_str())
    }
}
