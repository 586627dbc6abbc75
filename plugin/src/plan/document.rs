//! The top level of a JSON plan, read in one pass without building a value tree of it.
//!
//! Plans of large estates reach hundreds of MB, nearly all of it resources ecsnet never
//! looks at. So the top level is walked with serde seeds that stream through
//! `resource_changes`, `planned_values` and `prior_state` element by element: each resource
//! is deserialized into a struct of borrowed strings and raw JSON slices, its address is
//! recorded (to build the planned world and count it), and only resources of
//! [`super::INTERESTING_TYPES`] are kept, as raw slices, to be parsed into value trees at the
//! end. Keys may come in any order (`jq -S` sorts them), hence raw first, decide after.
//!
//! Nesting: serde_json refuses documents nested deeper than 128 levels in everything it
//! parses into structures (it skips raw slices iteratively), so none of the recursion here or
//! in the value trees can overflow the stack.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::attrs::Attrs;
use super::errors;
use super::{address, configuration, is_interesting, Action, Configuration, Mode, Plan, Resource, Variable};
use crate::error::UserError;

/// Flags recorded per resource address while streaming.
const CHANGE_IN: u8 = 1;
const CHANGE_OUT: u8 = 2;
const PLANNED: u8 = 4;

/// Where a kept resource came from; decides precedence when an address appears twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Change,
    Deferred,
    Planned,
    PriorData,
}

/// An interesting resource instance, still as raw JSON slices.
struct Entry<'a> {
    source: Source,
    address: Cow<'a, str>,
    module_address: Option<Cow<'a, str>>,
    mode: Mode,
    type_: Cow<'a, str>,
    name: Cow<'a, str>,
    index: Option<Value>,
    action: Action,
    values: Option<&'a RawValue>,
    unknown: Option<&'a RawValue>,
    sensitive: Option<&'a RawValue>,
}

/// Which top-level keys were present: this is how the kind of document is decided.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct TopKeys {
    pub planned_values: bool,
    pub resource_changes: bool,
    pub prior_state: bool,
    pub configuration: bool,
    pub values: bool,
    pub provider_schemas: bool,
    pub plan_format_version: bool,
    pub format_version: bool,
    pub raw_state: bool,
    pub validate_output: bool,
    pub output_changes: bool,
    pub variables: bool,
    pub any: bool,
}

#[derive(Default)]
struct Collected<'a> {
    keys: TopKeys,
    format_version: Option<&'a RawValue>,
    terraform_version: Option<&'a RawValue>,
    errored: bool,
    variables: Option<&'a RawValue>,
    configuration: Option<&'a RawValue>,
    seen: HashMap<Cow<'a, str>, u8>,
    prior_data: Vec<(Cow<'a, str>, Option<usize>)>,
    entries: Vec<Entry<'a>>,
    module_instances: BTreeSet<String>,
    has_sensitivity: bool,
    /// The top-level key being read, for error messages.
    section: &'static str,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum TopKey {
    FormatVersion,
    TerraformVersion,
    Variables,
    PlannedValues,
    ResourceChanges,
    DeferredChanges,
    PriorState,
    Configuration,
    Errored,
    OutputChanges,
    Values,
    ProviderSchemas,
    PlanFormatVersion,
    Lineage,
    Serial,
    Valid,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum ValuesKey {
    RootModule,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum ModuleKey {
    Resources,
    ChildModules,
    Address,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum StateKey {
    Values,
    #[serde(other)]
    Other,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(field_identifier, rename_all = "kebab-case")]
enum ActionWord {
    NoOp,
    Create,
    Read,
    Update,
    Delete,
    Forget,
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct RawChange<'a> {
    #[serde(borrow, default)]
    address: Cow<'a, str>,
    #[serde(borrow, default)]
    module_address: Cow<'a, str>,
    #[serde(borrow, default)]
    mode: Cow<'a, str>,
    #[serde(borrow, default, rename = "type")]
    type_: Cow<'a, str>,
    #[serde(borrow, default)]
    name: Cow<'a, str>,
    #[serde(default)]
    index: Option<Value>,
    #[serde(default)]
    deposed: Option<IgnoredAny>,
    #[serde(borrow, default)]
    change: Option<RawChangeBody<'a>>,
}

#[derive(Deserialize)]
struct RawChangeBody<'a> {
    #[serde(default)]
    actions: Vec<ActionWord>,
    #[serde(borrow, default)]
    after: Option<&'a RawValue>,
    #[serde(borrow, default)]
    after_unknown: Option<&'a RawValue>,
    #[serde(borrow, default)]
    after_sensitive: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawDeferred<'a> {
    #[serde(borrow, default)]
    resource_change: Option<RawChange<'a>>,
}

#[derive(Deserialize)]
struct RawValuesResource<'a> {
    #[serde(borrow, default)]
    address: Cow<'a, str>,
    #[serde(borrow, default)]
    mode: Cow<'a, str>,
    #[serde(borrow, default, rename = "type")]
    type_: Cow<'a, str>,
    #[serde(borrow, default)]
    name: Cow<'a, str>,
    #[serde(default)]
    index: Option<Value>,
    #[serde(borrow, default)]
    values: Option<&'a RawValue>,
    #[serde(borrow, default)]
    sensitive_values: Option<&'a RawValue>,
}

fn mode_of(s: &str) -> Mode {
    if s == "data" {
        Mode::Data
    } else {
        Mode::Managed
    }
}

/// The planned-world action of a change, or `None` when the object will not exist after
/// apply (delete or forget only).
fn action_of(words: &[ActionWord]) -> Option<Action> {
    use ActionWord as W;
    let has = |w: W| words.contains(&w);
    if has(W::Create) && (has(W::Delete) || has(W::Forget)) {
        return Some(Action::Replace);
    }
    if has(W::Create) {
        return Some(Action::Create);
    }
    if has(W::Delete) || has(W::Forget) {
        return None;
    }
    match words {
        [] | [W::NoOp] => Some(Action::NoOp),
        [W::Read] => Some(Action::Read),
        // Update, and any action word from a newer Terraform: the object stays, its values
        // may change.
        _ => Some(Action::Update),
    }
}

impl<'a> Collected<'a> {
    fn add_change(&mut self, rc: RawChange<'a>, deferred: bool) {
        // A deposed object is an old generation being destroyed; the current object has
        // its own entry.
        if rc.deposed.is_some() || rc.address.is_empty() {
            return;
        }
        let (action, values, unknown, sensitive) = match &rc.change {
            Some(c) => (action_of(&c.actions), c.after, c.after_unknown, c.after_sensitive),
            None => (Some(Action::NoOp), None, None, None),
        };
        if sensitive.is_some() {
            self.has_sensitivity = true;
        }
        let flag = if action.is_some() { CHANGE_IN } else { CHANGE_OUT };
        let interesting = action.is_some() && is_interesting(&rc.type_);
        match self.seen.get_mut(&rc.address) {
            Some(f) => *f |= flag,
            None => {
                self.seen.insert(rc.address.clone(), flag);
            }
        }
        let Some(action) = action else { return };
        if !rc.module_address.is_empty() && !self.module_instances.contains(rc.module_address.as_ref()) {
            self.module_instances.insert(rc.module_address.to_string());
        }
        if interesting {
            self.entries.push(Entry {
                source: if deferred { Source::Deferred } else { Source::Change },
                module_address: Some(rc.module_address),
                address: rc.address,
                mode: mode_of(&rc.mode),
                type_: rc.type_,
                name: rc.name,
                index: rc.index,
                action,
                values,
                unknown,
                sensitive,
            });
        }
    }

    fn add_values_resource(&mut self, r: RawValuesResource<'a>, prior: bool) {
        if r.address.is_empty() {
            return;
        }
        if r.sensitive_values.is_some() {
            self.has_sensitivity = true;
        }
        let mode = mode_of(&r.mode);
        if prior && mode != Mode::Data {
            // Managed resources of the prior state are in the planned world only through
            // planned_values / resource_changes.
            return;
        }
        let entry = is_interesting(&r.type_).then(|| self.entries.len());
        if prior {
            self.prior_data.push((r.address.clone(), entry));
        } else {
            match self.seen.get_mut(&r.address) {
                Some(f) => *f |= PLANNED,
                None => {
                    self.seen.insert(r.address.clone(), PLANNED);
                }
            }
        }
        if entry.is_some() {
            self.entries.push(Entry {
                source: if prior { Source::PriorData } else { Source::Planned },
                module_address: None,
                address: r.address,
                mode,
                type_: r.type_,
                name: r.name,
                index: r.index,
                action: if prior { Action::DataRead } else { Action::Unchanged },
                values: r.values,
                unknown: None,
                sensitive: r.sensitive_values,
            });
        }
    }
}

// ---- seeds ----------------------------------------------------------------------------------

struct TopSeed<'c, 'a>(&'c mut Collected<'a>);

impl<'de> DeserializeSeed<'de> for TopSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object (the output of `terraform show -json`)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let c = self.0;
        let mut seen_sections = 0u16;
        while let Some(key) = map.next_key::<TopKey>()? {
            c.keys.any = true;
            let bit = match key {
                TopKey::PlannedValues => 1,
                TopKey::ResourceChanges => 2,
                TopKey::PriorState => 4,
                TopKey::DeferredChanges => 8,
                TopKey::Configuration => 16,
                TopKey::Variables => 32,
                _ => 0,
            };
            if bit != 0 {
                if seen_sections & bit != 0 {
                    return Err(de::Error::custom("a top-level section appears twice"));
                }
                seen_sections |= bit;
            }
            match key {
                TopKey::FormatVersion => {
                    c.keys.format_version = true;
                    c.format_version = Some(map.next_value()?);
                }
                TopKey::TerraformVersion => c.terraform_version = Some(map.next_value()?),
                TopKey::Errored => {
                    let raw: &RawValue = map.next_value()?;
                    c.errored = raw.get().trim() == "true";
                }
                TopKey::Variables => {
                    c.keys.variables = true;
                    c.section = "variables";
                    c.variables = Some(map.next_value()?);
                }
                TopKey::Configuration => {
                    c.keys.configuration = true;
                    c.section = "configuration";
                    c.configuration = Some(map.next_value()?);
                }
                TopKey::PlannedValues => {
                    c.keys.planned_values = true;
                    c.section = "planned_values";
                    map.next_value_seed(ValuesSeed { c: &mut *c, prior: false })?;
                }
                TopKey::ResourceChanges => {
                    c.keys.resource_changes = true;
                    c.section = "resource_changes";
                    map.next_value_seed(ChangesSeed { c: &mut *c, deferred: false })?;
                }
                TopKey::DeferredChanges => {
                    c.section = "deferred_changes";
                    map.next_value_seed(ChangesSeed { c: &mut *c, deferred: true })?;
                }
                TopKey::PriorState => {
                    c.keys.prior_state = true;
                    c.section = "prior_state";
                    map.next_value_seed(PriorSeed { c: &mut *c })?;
                }
                other => {
                    match other {
                        TopKey::OutputChanges => c.keys.output_changes = true,
                        TopKey::Values => c.keys.values = true,
                        TopKey::ProviderSchemas => c.keys.provider_schemas = true,
                        TopKey::PlanFormatVersion => c.keys.plan_format_version = true,
                        TopKey::Lineage | TopKey::Serial => c.keys.raw_state = true,
                        TopKey::Valid => c.keys.validate_output = true,
                        _ => {}
                    }
                    map.next_value::<IgnoredAny>()?;
                }
            }
            c.section = "";
        }
        Ok(())
    }
}

/// A values representation (`planned_values`, `prior_state.values`): `{root_module: …}`.
struct ValuesSeed<'c, 'a> {
    c: &'c mut Collected<'a>,
    prior: bool,
}

impl<'de> DeserializeSeed<'de> for ValuesSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValuesSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a values object with root_module")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<ValuesKey>()? {
            match key {
                ValuesKey::RootModule => map.next_value_seed(ModuleSeed {
                    c: &mut *self.c,
                    prior: self.prior,
                })?,
                ValuesKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `prior_state`: `{format_version, terraform_version, values: …}`.
struct PriorSeed<'c, 'a> {
    c: &'c mut Collected<'a>,
}

impl<'de> DeserializeSeed<'de> for PriorSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PriorSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a state object")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<StateKey>()? {
            match key {
                StateKey::Values => map.next_value_seed(ValuesSeed {
                    c: &mut *self.c,
                    prior: true,
                })?,
                StateKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A module in a values representation: `{address, resources: […], child_modules: […]}`.
struct ModuleSeed<'c, 'a> {
    c: &'c mut Collected<'a>,
    prior: bool,
}

impl<'de> DeserializeSeed<'de> for ModuleSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ModuleSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a module object")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<ModuleKey>()? {
            match key {
                ModuleKey::Resources => map.next_value_seed(ResourcesSeed {
                    c: &mut *self.c,
                    prior: self.prior,
                })?,
                ModuleKey::ChildModules => map.next_value_seed(ChildModulesSeed {
                    c: &mut *self.c,
                    prior: self.prior,
                })?,
                ModuleKey::Address => {
                    let a: Cow<'de, str> = map.next_value()?;
                    if !self.prior && !a.is_empty() && !self.c.module_instances.contains(a.as_ref()) {
                        self.c.module_instances.insert(a.into_owned());
                    }
                }
                ModuleKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct ChildModulesSeed<'c, 'a> {
    c: &'c mut Collected<'a>,
    prior: bool,
}

impl<'de> DeserializeSeed<'de> for ChildModulesSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ChildModulesSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of modules")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(ModuleSeed {
                c: &mut *self.c,
                prior: self.prior,
            })?
            .is_some()
        {}
        Ok(())
    }
}

struct ResourcesSeed<'c, 'a> {
    c: &'c mut Collected<'a>,
    prior: bool,
}

impl<'de> DeserializeSeed<'de> for ResourcesSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ResourcesSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of resources")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(r) = seq.next_element::<RawValuesResource<'de>>()? {
            self.c.add_values_resource(r, self.prior);
        }
        Ok(())
    }
}

struct ChangesSeed<'c, 'a> {
    c: &'c mut Collected<'a>,
    deferred: bool,
}

impl<'de> DeserializeSeed<'de> for ChangesSeed<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ChangesSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of resource changes")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.deferred {
            while let Some(d) = seq.next_element::<RawDeferred<'de>>()? {
                if let Some(rc) = d.resource_change {
                    self.c.add_change(rc, true);
                }
            }
        } else {
            while let Some(rc) = seq.next_element::<RawChange<'de>>()? {
                self.c.add_change(rc, false);
            }
        }
        Ok(())
    }
}

// ---- assembly -------------------------------------------------------------------------------

/// Parse a UTF-8 JSON plan (BOM already removed).
pub(crate) fn parse(bytes: &[u8], name: &str) -> Result<Plan, UserError> {
    let text = std::str::from_utf8(bytes).map_err(|e| errors::not_utf8(name, e.valid_up_to()))?;
    let trimmed = text.trim_start();
    match trimmed.as_bytes().first() {
        None => return Err(errors::empty(name)),
        Some(b'{') => {}
        Some(b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') if serde_json::from_str::<IgnoredAny>(text).is_ok() => {
            return Err(errors::not_an_object(name, trimmed.as_bytes()[0]));
        }
        Some(_) => {}
    }

    let mut c = Collected::default();
    let mut de = serde_json::Deserializer::from_str(text);
    TopSeed(&mut c)
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| errors::json(name, &e, c.section))?;

    errors::check_kind(name, &c.keys)?;
    let format_version = c.format_version.and_then(raw_to_string);
    if let Some(v) = &format_version {
        errors::check_format_version(name, v)?;
    }

    let config = match c.configuration {
        Some(raw) if raw.get() != "null" => {
            configuration::parse(raw.get()).map_err(|e| errors::json(name, &e, "configuration"))?
        }
        _ => Configuration::default(),
    };
    let variables = root_variables(c.variables, &config).map_err(|e| errors::json(name, &e, "variables"))?;

    let module_instances = with_ancestors(std::mem::take(&mut c.module_instances));
    let resource_count = count_world(&c, &module_instances, &config);
    let resources = build_resources(&c, &module_instances, &config, name)?;

    let mut plan = Plan {
        name: name.to_string(),
        format_version,
        terraform_version: c.terraform_version.and_then(raw_to_string),
        errored: c.errored,
        resources,
        resource_count,
        variables,
        config,
        module_instances,
        has_sensitivity_info: c.has_sensitivity,
        ..Plan::default()
    };
    mark_sensitive_variable_values(&mut plan);
    plan.index();
    Ok(plan)
}

fn raw_to_string(raw: &RawValue) -> Option<String> {
    match serde_json::from_str::<Value>(raw.get()).ok()? {
        Value::String(s) => Some(s),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// Module instance addresses plus all their ancestors (`module.a["x"].module.b` implies
/// `module.a["x"]`), so that module instances holding only nested modules are known.
fn with_ancestors(set: BTreeSet<String>) -> BTreeSet<String> {
    use address::Step;
    let mut out = BTreeSet::new();
    for m in set {
        if let Some(steps) = address::steps_with_end(&m) {
            let mut i = 0;
            while i + 1 < steps.len() && matches!(&steps[i].0, Step::Name(n) if n == "module") {
                let mut end = steps[i + 1].1;
                i += 2;
                if let Some((Step::Index(_), e)) = steps.get(i) {
                    end = *e;
                    i += 1;
                }
                out.insert(m[..end].to_string());
            }
        }
        out.insert(m);
    }
    out
}

/// Whether a data source found only in prior_state is still part of the planned world: its
/// module instance still exists and (when the configuration is present) its block does.
fn prior_data_in_world(address: &str, modules: &BTreeSet<String>, config: &Configuration) -> bool {
    let prefix = address::module_prefix(address);
    if !prefix.is_empty() && !modules.contains(&prefix) {
        return false;
    }
    if !config.present {
        return true;
    }
    let rest = if prefix.is_empty() { address } else { &address[prefix.len() + 1..] };
    // `data.TYPE.NAME[key]` → `data.TYPE.NAME`
    let rel = match address::steps(rest) {
        Some(steps) => steps
            .iter()
            .filter_map(|s| match s {
                address::Step::Name(n) => Some(n.as_str()),
                address::Step::Index(_) => None,
            })
            .collect::<Vec<_>>()
            .join("."),
        None => return true,
    };
    let mut m = &config.root;
    if let Some(path) = address::module_path(&prefix) {
        for (call, _) in path {
            match m.module_calls.get(&call) {
                Some(c) => m = &c.module,
                None => return false,
            }
        }
    }
    m.resources.contains_key(&rel)
}

fn in_world(flags: u8) -> bool {
    flags & CHANGE_IN != 0 || (flags & (CHANGE_IN | CHANGE_OUT) == 0 && flags & PLANNED != 0)
}

fn count_world(c: &Collected<'_>, modules: &BTreeSet<String>, config: &Configuration) -> usize {
    let mut n = c.seen.values().filter(|&&f| in_world(f)).count();
    let mut prior_seen: BTreeSet<&str> = BTreeSet::new();
    for (addr, _) in &c.prior_data {
        if !c.seen.contains_key(addr) && prior_seen.insert(addr) && prior_data_in_world(addr, modules, config) {
            n += 1;
        }
    }
    n
}

fn parse_raw(raw: Option<&RawValue>, name: &str, address: &str) -> Result<Value, UserError> {
    match raw {
        None => Ok(Value::Null),
        Some(r) => serde_json::from_str(r.get()).map_err(|e| errors::resource_values(name, address, &e)),
    }
}

fn build_resources(
    c: &Collected<'_>,
    modules: &BTreeSet<String>,
    config: &Configuration,
    name: &str,
) -> Result<Vec<Resource>, UserError> {
    let mut out = Vec::new();
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    // Precedence: a change describes the planned object best; planned_values only covers
    // resources without a change entry; prior_state only data sources read while planning.
    for pass in [Source::Change, Source::Deferred, Source::Planned, Source::PriorData] {
        for e in c.entries.iter().filter(|e| e.source == pass) {
            let addr = e.address.as_ref();
            if taken.contains(addr) {
                continue;
            }
            let flags = c.seen.get(addr).copied().unwrap_or(0);
            let keep = match pass {
                Source::Change | Source::Deferred => true,
                Source::Planned => in_world(flags),
                Source::PriorData => flags == 0 && prior_data_in_world(addr, modules, config),
            };
            if !keep {
                continue;
            }
            taken.insert(addr);
            let values = match pass {
                Source::Deferred => Attrs::all_unknown(),
                _ => Attrs::new(
                    parse_raw(e.values, name, addr)?,
                    parse_raw(e.unknown, name, addr)?,
                    parse_raw(e.sensitive, name, addr)?,
                )
                .with_missing_unknown(e.action == Action::Read),
            };
            let module_address = match &e.module_address {
                Some(m) => m.to_string(),
                None => address::module_prefix(addr),
            };
            out.push(Resource {
                address: addr.to_string(),
                module_address,
                mode: e.mode,
                type_: e.type_.to_string(),
                name: e.name.to_string(),
                index: e.index.clone(),
                action: e.action,
                values,
            });
        }
    }
    Ok(out)
}

fn root_variables(raw: Option<&RawValue>, config: &Configuration) -> Result<BTreeMap<String, Variable>, serde_json::Error> {
    let mut out = BTreeMap::new();
    let parsed: BTreeMap<String, Value> = match raw {
        Some(r) if r.get() != "null" => serde_json::from_str(r.get())?,
        _ => BTreeMap::new(),
    };
    for (name, v) in parsed {
        let sensitive = config.root.variables.get(&name).is_some_and(|d| d.sensitive);
        let value = v.get("value").cloned().unwrap_or(Value::Null);
        out.insert(name, Variable { value, sensitive });
    }
    Ok(out)
}

/// Terraform marks values derived from sensitive variables itself since 0.15, but older
/// plans carry no marks, and a secret must never be printed. So any string in the kept
/// resources that contains the value of a sensitive root variable is marked sensitive too.
fn mark_sensitive_variable_values(plan: &mut Plan) {
    let mut secrets: Vec<String> = Vec::new();
    for v in plan.variables.values().filter(|v| v.sensitive) {
        collect_strings(&v.value, &mut secrets);
    }
    secrets.retain(|s| !s.is_empty());
    if secrets.is_empty() {
        return;
    }
    for r in &mut plan.resources {
        r.values.mark_sensitive_strings(&secrets);
    }
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}
