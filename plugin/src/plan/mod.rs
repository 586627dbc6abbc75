//! Plan reader: `terraform show -json` output (or a binary plan) → [`Plan`].
//!
//! The reader builds the *planned world*: every resource instance that will exist after
//! apply, with each attribute Known, Null or Unknown and its sensitivity, plus the
//! configuration needed to follow references through modules. See
//! `../shared/reference/plan-format.md` for the format; keys are recognised by presence,
//! never by `format_version`.
//!
//! Large plans: the file is read into one buffer and only the top level is deserialized,
//! with per-resource bodies captured as raw slices; only [`INTERESTING_TYPES`] are parsed
//! into value trees (see `document.rs`).

pub(crate) mod address;
mod attrs;
mod bound;
pub mod configuration;
mod document;
mod errors;
mod input;
mod lazy;
pub mod overlay;
mod references;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

pub(crate) use address::{last_module_call, ModuleCalls};
pub use attrs::{AttrRef, Attrs};
pub use configuration::{
    Block, ConfigOutput, ConfigResource, ConfigVariable, Configuration, ExprNode, Expression,
    ModuleCall, ModuleConfig,
};
/// The seeded fast hash of the plan's address maps, also for the model's.
pub(crate) use document::SeededHash;
pub use references::RefTarget;

use crate::error::UserError;
use crate::model::Field;

/// Default cap on input size: 2 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 2 << 30;

/// Environment variable naming the terraform/tofu binary used for binary plans.
pub const TERRAFORM_BIN_ENV: &str = "ECSNET_TERRAFORM_BIN";
/// Environment variable overriding the input size cap (bytes).
pub const MAX_BYTES_ENV: &str = "ECSNET_MAX_PLAN_BYTES";

/// How to read inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Binary used to turn a binary plan into JSON; `None`: `ECSNET_TERRAFORM_BIN`, then
    /// `terraform`, then `tofu` on PATH.
    pub terraform_bin: Option<PathBuf>,
    /// Inputs larger than this are refused (protects against a wrong file or a runaway pipe).
    pub max_bytes: u64,
}

impl Default for LoadOptions {
    /// 2 GiB and terraform from the environment or PATH. The command line uses
    /// [`LoadOptions::from_env`], which also reads `ECSNET_MAX_PLAN_BYTES`.
    fn default() -> Self {
        LoadOptions {
            terraform_bin: None,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

impl LoadOptions {
    /// The defaults with `ECSNET_MAX_PLAN_BYTES` applied: bytes with an optional binary
    /// suffix (`K`, `M`, `G`, as the plugin's size settings). Unset or empty means the
    /// default; anything else that is not a size above zero is an error naming the variable.
    pub fn from_env() -> Result<Self, UserError> {
        let mut opts = LoadOptions::default();
        if let Some(v) = std::env::var_os(MAX_BYTES_ENV).filter(|v| !v.is_empty()) {
            let text = v.to_string_lossy();
            opts.max_bytes = crate::server::settings::parse_size(&text)
                .map(|n| n as u64)
                .ok_or_else(|| {
                    UserError::new(format!(
                        "{MAX_BYTES_ENV}={} is not a size: give bytes above 0 with an optional K, M or G (binary), e.g. {MAX_BYTES_ENV}=512M, or unset it for the {} GiB default",
                        crate::error::excerpt(&text),
                        DEFAULT_MAX_BYTES >> 30
                    ))
                })?;
        }
        Ok(opts)
    }
}

/// Read one input: a path or "-" (stdin). JSON in UTF-8 (with or without BOM), UTF-16 LE/BE
/// with BOM, or a binary plan (zip), which is turned into JSON by running
/// `<terraform|tofu> show -json <file>`.
pub fn load(input: &str, opts: &LoadOptions) -> Result<Plan, UserError> {
    let raw = input::read_input(input, opts)?;
    // Messages say "stdin", the plan keeps the name as given ("-").
    let shown = if input == "-" { "stdin" } else { input };
    let json_file = input != "-" && !matches!(input::classify(&raw.bytes), input::Encoding::Zip);
    let json = input::to_json_utf8(raw, shown, opts)?;
    let mut plan = document::parse(json.as_slice(), shown)?;
    plan.name = input.to_string();
    plan.json_file = json_file;
    Ok(plan)
}

/// Read several inputs, in order. Stops at the first error.
pub fn load_all(inputs: &[String], opts: &LoadOptions) -> Result<Vec<Plan>, UserError> {
    inputs.iter().map(|i| load(i, opts)).collect()
}

/// Parse bytes already in memory (gRPC server, tests). `name` is used in messages.
pub fn parse_bytes(bytes: &[u8], name: &str, opts: &LoadOptions) -> Result<Plan, UserError> {
    input::check_size(bytes.len() as u64, name, opts)?;
    match input::classify(bytes) {
        // The common case needs no copy.
        input::Encoding::Utf8 { start } => document::parse(&bytes[start..], name),
        _ => {
            let raw = input::Raw {
                bytes: bytes.to_vec().into(),
                path: None,
            };
            let json = input::to_json_utf8(raw, name, opts)?;
            document::parse(json.as_slice(), name)
        }
    }
}

/// Kept resources from which [`Plan`]'s two address indexes are built on two threads.
const PARALLEL_INDEX_MIN: usize = 2048;

/// Resource types whose values are parsed; everything else is only counted.
pub const INTERESTING_TYPES: &[&str] = &[
    "aws_ecs_task_definition",
    "aws_ecs_service",
    "aws_ecs_task_set",
    "aws_ecs_cluster",
    "aws_ecs_capacity_provider",
    "aws_ecs_cluster_capacity_providers",
    "aws_autoscaling_group",
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_instance",
    "aws_subnet",
    "aws_subnets",
    "aws_vpc",
    "aws_lb_target_group",
    "aws_alb_target_group",
    "aws_ecs_account_setting_default",
    "aws_service_discovery_service",
    "aws_route_table",
    "aws_route",
    "aws_route_table_association",
    "aws_internet_gateway",
    "aws_nat_gateway",
    "aws_default_route_table",
    "aws_main_route_table_association",
    "aws_vpc_endpoint",
];

/// Resource types whose values before the change are kept ([`Resource::before`]): what
/// the awsvpcTrunking setting was, and what an autoscaling group launched its running
/// instances with.
pub const KEEPS_BEFORE: &[&str] = &["aws_ecs_account_setting_default", "aws_autoscaling_group"];

/// Whether values of this resource type are parsed.
pub fn is_interesting(type_: &str) -> bool {
    // Asked for every resource of every section: the names are compared inline (a call to
    // memcmp per name of the same length was a visible share of reading a large plan).
    // `interesting_types_match_the_list` checks that this is `INTERESTING_TYPES`.
    matches!(
        type_,
        "aws_ecs_task_definition"
            | "aws_ecs_service"
            | "aws_ecs_task_set"
            | "aws_ecs_cluster"
            | "aws_ecs_capacity_provider"
            | "aws_ecs_cluster_capacity_providers"
            | "aws_autoscaling_group"
            | "aws_launch_template"
            | "aws_launch_configuration"
            | "aws_instance"
            | "aws_subnet"
            | "aws_subnets"
            | "aws_vpc"
            | "aws_lb_target_group"
            | "aws_alb_target_group"
            | "aws_ecs_account_setting_default"
            | "aws_service_discovery_service"
            | "aws_route_table"
            | "aws_route"
            | "aws_route_table_association"
            | "aws_internet_gateway"
            | "aws_nat_gateway"
            | "aws_default_route_table"
            | "aws_main_route_table_association"
            | "aws_vpc_endpoint"
    )
}

/// Managed resource or data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Managed,
    Data,
}

/// What the plan does to a resource instance of the planned world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Create,
    Update,
    /// Delete and create (either order), or forget and create.
    Replace,
    NoOp,
    /// A data source read deferred to apply: values not in `after` are unknown.
    Read,
    /// A data source read during planning (only in `prior_state`): fully known.
    DataRead,
    /// In `planned_values` without a change entry (old plans): values as planned.
    Unchanged,
}

/// One resource instance of the planned world.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Absolute instance address: `module.app["blue"].aws_ecs_service.api`.
    pub address: String,
    /// `""` in the root module, else e.g. `module.app["blue"]`.
    pub module_address: String,
    pub mode: Mode,
    pub type_: String,
    pub name: String,
    /// `count` index (number) or `for_each` key (string).
    pub index: Option<serde_json::Value>,
    pub action: Action,
    /// `after` + `after_unknown` + `after_sensitive` (or `values` + `sensitive_values`).
    pub values: Attrs,
    /// `change.before` + `before_sensitive`: the values in the prior state, for the types
    /// of [`KEEPS_BEFORE`] that the plan changes or keeps (`None` for a create, and for
    /// every other type).
    pub before: Option<Attrs>,
    /// Where the entry the values come from names its address in the plan JSON: 1-based
    /// line and column (in bytes). What findings point at when no Terraform sources are
    /// read (see [`Plan::json_file`]).
    pub position: Option<(u32, u32)>,
}

impl Resource {
    /// The address without the instance key: `module.app["blue"].aws_ecs_service.api`
    /// for `…api[0]`.
    pub fn base_address(&self) -> String {
        // Put together without the formatting machinery: asked for every kept resource.
        let parts = [
            self.module_address.as_str(),
            if self.module_address.is_empty() {
                ""
            } else {
                "."
            },
            if self.mode == Mode::Data { "data." } else { "" },
            self.type_.as_str(),
            ".",
            self.name.as_str(),
        ];
        parts.concat()
    }

    /// Shortcut for `self.values.root().path(dotted)`.
    pub fn attr(&self, dotted: &str) -> AttrRef<'_> {
        self.values.root().path(dotted)
    }
}

/// A root input variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// The value as given (null when the plan omits it). Terraform writes it in clear text
    /// even when the variable is declared sensitive: print it only through [`Variable::field`].
    pub value: serde_json::Value,
    /// Declared `sensitive = true` in the root module's configuration.
    pub sensitive: bool,
}

impl Variable {
    pub fn field(&self) -> Field<&serde_json::Value> {
        let f = if self.value.is_null() {
            Field::null()
        } else {
            Field::known(&self.value)
        };
        f.with_sensitive(self.sensitive)
    }
}

/// A parsed plan: the planned world plus configuration.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The input as given (a path, or "-" for stdin).
    pub name: String,
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    /// The plan was saved after an error (Terraform 1.6+ `errored`): it may be incomplete.
    pub errored: bool,
    /// Every resource instance of the planned world whose type is in [`INTERESTING_TYPES`]:
    /// planned_values + resource_changes (a delete-only change is not in the planned world, a
    /// replace is), data sources read during planning (prior_state only), and deferred data
    /// reads (unknown). Sorted by address.
    pub resources: Vec<Resource>,
    /// All instances in the planned world, interesting or not.
    pub resource_count: usize,
    /// Root variables: value + declared sensitivity.
    pub variables: BTreeMap<String, Variable>,
    pub config: Configuration,
    /// Every module instance address of the planned world (`module.app["blue"]`, and its
    /// ancestors), for expanding references to `count`/`for_each` module calls.
    pub module_instances: BTreeSet<String>,
    /// Whether the plan carries sensitivity information (`after_sensitive` /
    /// `sensitive_values`, Terraform 0.15+). Without it, nothing can be known to be
    /// sensitive except values equal to sensitive root variables.
    pub has_sensitivity_info: bool,
    /// The plan was read from a JSON file (not stdin, not a binary plan), so resource
    /// positions are lines of a file the user has.
    pub json_file: bool,
    by_address: HashMap<String, usize, document::SeededHash>,
    /// Address without instance key → indexes into `resources`.
    by_base: HashMap<String, Vec<usize>, document::SeededHash>,
    /// Addresses without key of every resource (any type) that has keyed instances, with
    /// their instance keys (raw JSON) in the plan.
    keyed_bases: document::KeyedBases,
    /// What the Terraform sources say of the unknown parts of resources (see [`overlay`]):
    /// what they reference and which are set (not null), by index into `resources`, in
    /// index order. Empty without sources.
    source_found: Vec<overlay::Found>,
    /// User data the plan shows as its SHA-1, as the sources give it (the digests match):
    /// resource address → text. Empty without sources.
    source_user_data: HashMap<String, String>,
}

impl Plan {
    /// Build the address index; called once the resources are final.
    fn index(&mut self) {
        // Stable: of two entries for one address (a malformed plan), the first (from
        // resource_changes) is kept. (The reader builds them in order: nothing to move.)
        if !self.resources.is_sorted_by(|a, b| a.address <= b.address) {
            self.resources.sort_by(|a, b| a.address.cmp(&b.address));
        }
        self.resources
            .dedup_by(|later, earlier| later.address == earlier.address);
        // The two indexes are independent: on a large plan, built at the same time.
        let resources = &self.resources;
        let (by_address, by_base) = crate::par::join(
            resources.len() >= PARALLEL_INDEX_MIN,
            || {
                resources
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r.address.clone(), i))
                    .collect()
            },
            || {
                let mut by_base: HashMap<String, Vec<usize>, _> =
                    HashMap::with_hasher(document::SeededHash::default());
                for (i, r) in resources.iter().enumerate() {
                    by_base.entry(r.base_address()).or_default().push(i);
                }
                by_base
            },
        );
        self.by_address = by_address;
        self.by_base = by_base;
    }

    /// Whether a resource (any type, by address without key) has `count`/`for_each`
    /// instances in the planned world.
    pub fn has_keyed_instances(&self, base_address: &str) -> bool {
        self.keyed_bases.contains_key(base_address)
    }

    /// How many keyed instances of a resource (any type, address without key) the plan
    /// names in any section (instances being destroyed included); `None` when it has none.
    pub fn keyed_instance_count(&self, base_address: &str) -> Option<usize> {
        self.keyed_bases.get(base_address).copied()
    }

    /// The kept instances of a resource given its address without instance key.
    pub fn instances_of(&self, base_address: &str) -> Vec<&Resource> {
        self.by_base
            .get(base_address)
            .map(|v| v.iter().map(|&i| &self.resources[i]).collect())
            .unwrap_or_default()
    }

    /// The instances (`module.app["blue"]`, …) of a module call given its address without
    /// instance key (`module.app`, `module.a["x"].module.b`).
    pub fn module_instances_of(&self, base: &str) -> Vec<String> {
        address::module_instances_of(&self.module_instances, base)
    }

    /// Resource by absolute instance address (interesting types only). O(1).
    pub fn resource(&self, address: &str) -> Option<&Resource> {
        self.by_address.get(address).map(|&i| &self.resources[i])
    }

    pub fn resources_of_type<'a>(
        &'a self,
        type_: &'a str,
    ) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.type_ == type_)
    }

    /// The module configuration for a module instance address (`module.a["x"].module.b`),
    /// instance keys ignored.
    pub fn module_config(&self, module_address: &str) -> Option<&ModuleConfig> {
        let mut m = &self.config.root;
        for call in ModuleCalls::new(module_address) {
            m = &m.module_calls.get(call?.0)?.module;
        }
        Some(m)
    }

    /// The configuration block of a resource instance.
    pub fn config_resource(&self, res: &Resource) -> Option<&ConfigResource> {
        // Asked for every attribute the model reads: the key is put together without the
        // formatting machinery, on the stack when it fits.
        let prefix = match res.mode {
            Mode::Managed => "",
            Mode::Data => "data.",
        };
        let parts = [prefix, res.type_.as_str(), ".", res.name.as_str()];
        let resources = &self.module_config(&res.module_address)?.resources;
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut buf = [0u8; 128];
        if len > buf.len() {
            return resources.get(&parts.concat());
        }
        let mut at = 0;
        for p in parts {
            buf[at..at + p.len()].copy_from_slice(p.as_bytes());
            at += p.len();
        }
        // Whole strings put end to end are UTF-8.
        resources.get(std::str::from_utf8(&buf[..len]).ok()?)
    }

    /// The configuration expression of an attribute of this resource instance, e.g.
    /// `"cluster"` or `"network_configuration.0.subnets"`.
    pub fn expression(&self, res: &Resource, dotted_path: &str) -> Option<&Expression> {
        self.config_resource(res)?.expressions.lookup(dotted_path)
    }

    /// Follow an attribute's references to the resources they name, through `var.x` (the
    /// caller's module call expression), `module.m.out` (the output expression inside the
    /// called module) and across nesting. `local.*`, `each.*`, `count.*` and root variables
    /// cannot be followed and yield nothing. Each target is an absolute resource address
    /// with the attribute the reference selects; `certain` is false when the instance could
    /// not be determined (then every candidate instance is returned).
    pub fn resolve_references(&self, res: &Resource, dotted_path: &str) -> Vec<RefTarget> {
        match self.expression(res, dotted_path) {
            Some(expr) => match self.each_value_refs(res, &expr.references) {
                // As written: the expression's references, parsed once for all readers.
                std::borrow::Cow::Borrowed(_) => references::follow_parsed(
                    self,
                    &res.module_address,
                    res.index.as_ref(),
                    expr.parsed(),
                ),
                std::borrow::Cow::Owned(refs) => {
                    self.follow(&res.module_address, res.index.as_ref(), &refs)
                }
            },
            None => Vec::new(),
        }
    }

    /// The resources the Terraform sources say an unknown attribute (dotted path,
    /// `network_configuration.0.subnets`) of this resource references; empty without
    /// sources (see [`overlay::apply`]).
    pub fn source_references(&self, res: &Resource, dotted_path: &str) -> &[RefTarget] {
        self.source_found(res)
            .map_or(&[], |f| f.references(dotted_path))
    }

    /// Whether the Terraform sources show an unknown attribute (dotted path) of this
    /// resource to be set, not null, once applied (`iam_role = aws_iam_role.svc.arn`).
    pub fn source_sets(&self, res: &Resource, dotted_path: &str) -> bool {
        self.source_found(res).is_some_and(|f| f.sets(dotted_path))
    }

    /// A resource's index in `resources`: where it is when it is one of them (as readers
    /// pass them), else by its address (not hashed in the first case).
    fn index_of(&self, res: &Resource) -> Option<usize> {
        let offset =
            (res as *const Resource as usize).wrapping_sub(self.resources.as_ptr() as usize);
        let i = offset / std::mem::size_of::<Resource>().max(1);
        match self.resources.get(i) {
            Some(r) if std::ptr::eq(r, res) => Some(i),
            _ => self.by_address.get(&res.address).copied(),
        }
    }

    /// What the Terraform sources found of a resource's unknown parts, if anything.
    fn source_found(&self, res: &Resource) -> Option<&overlay::SourceFound> {
        // Without sources, no address is hashed.
        if self.source_found.is_empty() {
            return None;
        }
        let i = self.index_of(res)?;
        let at = self.source_found.binary_search_by_key(&i, |f| f.0).ok()?;
        Some(&self.source_found[at].1)
    }

    /// The text of this resource's `user_data`, which the plan shows only as its SHA-1,
    /// from the Terraform sources when its digest is the planned one.
    pub fn source_user_data(&self, res: &Resource) -> Option<&str> {
        self.source_user_data.get(&res.address).map(String::as_str)
    }

    /// Whether the Terraform sources were applied to this plan with any effect.
    pub fn has_source_overlay(&self) -> bool {
        self.source_found.iter().any(|f| f.1.has_references())
    }

    /// `each.value.ATTR…` in a resource whose `for_each` is one resource (`for_each =
    /// aws_subnet.app`) names that resource's instance with the same key: the reference is
    /// rewritten to `aws_subnet.app["KEY"].ATTR…`. Kept as written otherwise.
    fn each_value_refs<'r>(
        &self,
        res: &Resource,
        refs: &'r [String],
    ) -> std::borrow::Cow<'r, [String]> {
        if !refs.iter().any(|r| r.starts_with("each.value")) {
            return std::borrow::Cow::Borrowed(refs);
        }
        let source = self
            .config_resource(res)
            .and_then(|c| c.for_each.as_ref())
            .and_then(|fe| references::single_resource(&fe.references));
        let (Some(source), Some(key)) = (source, res.index.as_ref()) else {
            return std::borrow::Cow::Borrowed(refs);
        };
        let key = match key {
            serde_json::Value::String(k) => {
                serde_json::to_string(k).unwrap_or_else(|_| format!("{k:?}"))
            }
            other => other.to_string(),
        };
        refs.iter()
            .map(|r| match r.strip_prefix("each.value") {
                Some(rest) if rest.is_empty() || rest.starts_with('.') => {
                    format!("{source}[{key}]{rest}")
                }
                _ => r.clone(),
            })
            .collect()
    }

    /// The resources each input of the module call that created module instance `module`
    /// names, by input variable (evaluated in the caller, with the instance's key). Empty
    /// for the root module.
    pub fn module_inputs(&self, module: &str) -> Vec<(String, Vec<RefTarget>)> {
        references::module_inputs(self, module)
    }

    /// Follow references written in module `module_address` (an instance address) by an
    /// object whose own instance key is `each_key` (used for `each.key` / `count.index`).
    pub fn follow(
        &self,
        module_address: &str,
        each_key: Option<&serde_json::Value>,
        references: &[String],
    ) -> Vec<RefTarget> {
        references::follow(self, module_address, each_key, references)
    }
}

#[cfg(test)]
mod tests;
