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
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::attrs::Attrs;
use super::errors;
use super::lazy::SharedText;
use super::{
    address, configuration, is_interesting, lazy, Action, Configuration, Mode, Plan, Resource,
    Variable,
};
use crate::error::UserError;

mod scan;
mod split;
mod strings;

pub(super) use scan::members as object_members;

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
    /// JSON string literals (quotes and escapes included), see [`Lit`].
    address: Cow<'a, str>,
    module_address: Option<Cow<'a, str>>,
    mode: Mode,
    type_: Cow<'a, str>,
    name: Cow<'a, str>,
    index: Option<&'a str>,
    action: Action,
    values: Option<&'a str>,
    unknown: Option<&'a str>,
    sensitive: Option<&'a str>,
    /// `change.before` and `before_sensitive`, kept for [`super::KEEPS_BEFORE`] types only.
    before: Option<(&'a str, Option<&'a str>)>,
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
    /// `planned_values` is an object (not only present: `null` does not count).
    pub planned_object: bool,
    /// `resource_changes` is a list (not only present).
    pub changes_list: bool,
}

#[derive(Default)]
struct Collected<'a> {
    keys: TopKeys,
    format_version: Option<&'a str>,
    terraform_version: Option<&'a str>,
    errored: bool,
    variables: Option<&'a str>,
    configuration: Option<&'a str>,
    /// Each address literal met, with its CHANGE_IN / CHANGE_OUT / PLANNED flag, in reading
    /// order (an address comes once per section): put together in `seen` once every section
    /// is read (see [`Collected::index_flags`]).
    flagged: Vec<(Hashed<'a>, u8)>,
    /// How many of `flagged` come from planned_values, and from the change sections: the
    /// sections list mostly the same addresses, so the larger is about how many there are.
    flagged_planned: usize,
    flagged_changes: usize,
    /// Address literal → CHANGE_IN / CHANGE_OUT / PLANNED flags (filled from `flagged`).
    seen: HashMap<Hashed<'a>, u8, Carried>,
    /// Address literals of data sources in prior_state.
    prior_data: Vec<Cow<'a, str>>,
    entries: Vec<Entry<'a>>,
    /// Module instance address literals.
    module_instances: HashSet<Cow<'a, str>, SeededHash>,
    /// Addresses (without key) of resources with keyed instances, of any type → where the
    /// keys (as raw JSON) seen for each are in `keyed_keys`.
    keyed_bases: HashMap<String, usize, SeededHash>,
    keyed_keys: Vec<HashSet<&'a str, SeededHash>>,
    /// The last address without key noted, and its place in `keyed_keys`: the instances of
    /// a resource come one after another, so most need no look-up.
    last_keyed: Option<(String, usize)>,
    /// The module address last added to `module_instances` (the resources of a module
    /// instance come one after another).
    last_module: Option<Cow<'a, str>>,
    /// An address being unescaped (reused: no allocation per resource).
    scratch: String,
    has_sensitivity: bool,
    /// The top-level key being read, for error messages.
    section: &'static str,
    /// Modules being read, nested in one another (child_modules), and the most ever; see
    /// `split::MAX_MODULE_DEPTH`.
    module_depth: u32,
    deepest_module: u32,
    /// A byte scanner met a newline (between tokens: the only place one can be).
    newline_seen: bool,
    /// The text is known to hold no newline (set by the scanner's reading alone).
    one_line: bool,
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

/// A JSON string kept as its literal text (quotes and escapes included). Addresses are
/// compared and hashed in this form, which saves unescaping (and allocating) the tens of
/// thousands of addresses with `["key"]` that are only counted; Terraform writes an address
/// the same way wherever it appears.
struct Lit<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Lit<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        if raw.get().starts_with('"') {
            Ok(Lit(Cow::Borrowed(raw.get())))
        } else {
            Err(de::Error::custom(format!(
                "expected an address string, found {}",
                raw.get()
            )))
        }
    }
}

/// The text of one JSON value, as it stands in the document (a raw slice).
#[derive(Clone, Copy)]
pub(super) struct Span<'a>(pub(super) &'a str);

impl<'de: 'a, 'a> Deserialize<'de> for Span<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de RawValue>::deserialize(d).map(|r| Span(r.get()))
    }
}

/// The text between the quotes of a literal.
fn lit_inner(lit: &str) -> &str {
    lit.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or("")
}

/// The string a literal stands for.
fn unescape(lit: &str) -> String {
    let mut out = String::with_capacity(lit.len());
    unescape_into(lit, &mut out);
    out
}

/// [`unescape`] into `out` (cleared first). The escapes addresses hold (`\"` around every
/// `["key"]`) are decoded here; a `\u` escape (rare in addresses) goes through serde_json.
fn unescape_into(lit: &str, out: &mut String) {
    out.clear();
    if !unescape_simple(lit_inner(lit), out) {
        *out = serde_json::from_str(lit).unwrap_or_default();
    }
}

/// Append the string `inner` (a valid literal's text between its quotes) stands for to
/// `out`, or return false, leaving `out` partly written, at a `\u` escape (surrogate pairs
/// and their errors are left to serde_json).
pub(super) fn unescape_simple(inner: &str, out: &mut String) -> bool {
    let b = inner.as_bytes();
    let (mut start, mut from) = (0, 0);
    while let Some(at) = memchr::memchr(b'\\', &b[from..]).map(|i| from + i) {
        let c = match b.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            _ => return false,
        };
        out.push_str(&inner[start..at]);
        out.push(c);
        from = at + 2;
        start = from;
    }
    out.push_str(&inner[start..]);
    true
}

/// `actions` as a set of bits: no allocation per resource.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
struct Actions(u8);

const A_NOOP: u8 = 1;
const A_CREATE: u8 = 2;
const A_READ: u8 = 4;
const A_UPDATE: u8 = 8;
const A_DELETE: u8 = 16;
const A_FORGET: u8 = 32;
const A_OTHER: u8 = 64;

impl<'de> Deserialize<'de> for Actions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Actions;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of actions")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Actions, E> {
                Ok(Actions(0))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Actions, A::Error> {
                let mut bits = 0;
                while let Some(w) = seq.next_element::<ActionWord>()? {
                    bits |= match w {
                        ActionWord::NoOp => A_NOOP,
                        ActionWord::Create => A_CREATE,
                        ActionWord::Read => A_READ,
                        ActionWord::Update => A_UPDATE,
                        ActionWord::Delete => A_DELETE,
                        ActionWord::Forget => A_FORGET,
                        ActionWord::Other => A_OTHER,
                    };
                }
                Ok(Actions(bits))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct RawChange<'a> {
    #[serde(borrow, default)]
    address: Option<Lit<'a>>,
    #[serde(borrow, default)]
    module_address: Option<Lit<'a>>,
    #[serde(borrow, default)]
    mode: Cow<'a, str>,
    #[serde(borrow, default, rename = "type")]
    type_: Cow<'a, str>,
    #[serde(borrow, default)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    index: Option<Span<'a>>,
    #[serde(default)]
    deposed: Option<IgnoredAny>,
    #[serde(borrow, default)]
    change: Option<RawChangeBody<'a>>,
}

#[derive(Deserialize)]
struct RawChangeBody<'a> {
    #[serde(default)]
    actions: Actions,
    #[serde(borrow, default)]
    after: Option<Span<'a>>,
    #[serde(borrow, default)]
    after_unknown: Option<Span<'a>>,
    #[serde(borrow, default)]
    after_sensitive: Option<Span<'a>>,
    #[serde(borrow, default)]
    before: Option<Span<'a>>,
    #[serde(borrow, default)]
    before_sensitive: Option<Span<'a>>,
}

#[derive(Deserialize)]
struct RawDeferred<'a> {
    #[serde(borrow, default)]
    resource_change: Option<RawChange<'a>>,
}

#[derive(Deserialize)]
struct RawValuesResource<'a> {
    #[serde(borrow, default)]
    address: Option<Lit<'a>>,
    #[serde(borrow, default)]
    mode: Cow<'a, str>,
    #[serde(borrow, default, rename = "type")]
    type_: Cow<'a, str>,
    #[serde(borrow, default)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    index: Option<Span<'a>>,
    #[serde(borrow, default)]
    values: Option<Span<'a>>,
    #[serde(borrow, default)]
    sensitive_values: Option<Span<'a>>,
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
fn action_of(a: Actions) -> Option<Action> {
    let has = |bit: u8| a.0 & bit != 0;
    if has(A_CREATE) && (has(A_DELETE) || has(A_FORGET)) {
        return Some(Action::Replace);
    }
    if has(A_CREATE) {
        return Some(Action::Create);
    }
    if has(A_DELETE) || has(A_FORGET) {
        return None;
    }
    match a.0 {
        0 | A_NOOP => Some(Action::NoOp),
        A_READ => Some(Action::Read),
        // Update, and any action word from a newer Terraform: the object stays, its values
        // may change.
        _ => Some(Action::Update),
    }
}

impl<'a> Collected<'a> {
    fn note_keyed(&mut self, address: &str, index: Option<&'a str>) {
        let Some(index) = index.filter(|i| *i != "null") else {
            return;
        };
        let mut scratch = std::mem::take(&mut self.scratch);
        unescape_into(address, &mut scratch);
        if let Some(base) = address::strip_instance_key(&scratch) {
            let at = match &self.last_keyed {
                Some((last, at)) if last == base => *at,
                _ => {
                    let at = self.keyed_at(base);
                    self.last_keyed = Some((base.to_string(), at));
                    at
                }
            };
            self.keyed_keys[at].insert(index);
        }
        self.scratch = scratch;
    }

    /// Where the keys of `base` are in `keyed_keys` (a new empty set if it has none yet).
    fn keyed_at(&mut self, base: &str) -> usize {
        if let Some(&at) = self.keyed_bases.get(base) {
            return at;
        }
        let at = self.keyed_keys.len();
        self.keyed_keys.push(HashSet::default());
        self.keyed_bases.insert(base.to_string(), at);
        at
    }

    /// Add `m` to the module instances (a literal).
    // A `&Cow` rather than `&str`: cloning a borrowed Cow costs nothing.
    #[allow(clippy::ptr_arg)]
    fn note_module(&mut self, m: &Cow<'a, str>) {
        if self.last_module.as_ref() == Some(m) {
            return;
        }
        if !self.module_instances.contains(m.as_ref()) {
            self.module_instances.insert(m.clone());
        }
        self.last_module = Some(m.clone());
    }

    /// Keyed resources: address without key → how many keys.
    fn keyed_counts(&mut self) -> KeyedBases {
        let keys = std::mem::take(&mut self.keyed_keys);
        std::mem::take(&mut self.keyed_bases)
            .into_iter()
            .map(|(base, at)| (base, keys[at].len()))
            .collect()
    }

    // A `&Cow` rather than `&str`: cloning a borrowed Cow costs nothing.
    #[allow(clippy::ptr_arg)]
    fn flag(&mut self, address: &Cow<'a, str>, flag: u8) {
        if flag == PLANNED {
            self.flagged_planned += 1;
        } else {
            self.flagged_changes += 1;
        }
        self.flagged.push((Hashed::new(address.clone()), flag));
    }

    /// Put the flags of every address together in `seen`, once all sections are read: one
    /// map sized once, instead of one per section grown step by step (rehashing each time,
    /// on fresh pages) and merged.
    fn index_flags(&mut self) {
        let flagged = std::mem::take(&mut self.flagged);
        let mut seen = HashMap::with_capacity_and_hasher(
            self.flagged_planned.max(self.flagged_changes),
            Carried,
        );
        for (address, flag) in flagged {
            *seen.entry(address).or_insert(0) |= flag;
        }
        self.seen = seen;
    }

    /// The flags recorded for an address literal.
    fn flags(&self, address: &str) -> Option<u8> {
        self.seen.get(&Hashed::new(Cow::Borrowed(address))).copied()
    }

    fn add_change(&mut self, rc: RawChange<'a>, deferred: bool) {
        let Some(Lit(address)) = rc.address else {
            return;
        };
        // A deposed object is an old generation being destroyed; the current object has
        // its own entry.
        if rc.deposed.is_some() {
            return;
        }
        let (action, values, unknown, sensitive, before) = match &rc.change {
            Some(c) => (
                action_of(c.actions),
                c.after.map(|s| s.0),
                c.after_unknown.map(|s| s.0),
                c.after_sensitive.map(|s| s.0),
                c.before.map(|b| (b.0, c.before_sensitive.map(|s| s.0))),
            ),
            None => (Some(Action::NoOp), None, None, None, None),
        };
        if sensitive.is_some() {
            self.has_sensitivity = true;
        }
        let Some(action) = action else {
            self.flag(&address, CHANGE_OUT);
            return;
        };
        self.flag(&address, CHANGE_IN);
        self.note_keyed(&address, rc.index.map(|s| s.0));
        let module_address = rc.module_address.map(|m| m.0);
        if let Some(m) = &module_address {
            self.note_module(m);
        }
        if is_interesting(&rc.type_) {
            let before = before.filter(|_| super::KEEPS_BEFORE.contains(&rc.type_.as_ref()));
            self.entries.push(Entry {
                source: if deferred {
                    Source::Deferred
                } else {
                    Source::Change
                },
                module_address,
                address,
                mode: mode_of(&rc.mode),
                type_: rc.type_,
                name: rc.name,
                index: rc.index.map(|s| s.0),
                action,
                values,
                unknown,
                sensitive,
                before,
            });
        }
    }

    fn add_values_resource(&mut self, r: RawValuesResource<'a>, prior: bool) {
        let Some(Lit(address)) = r.address else {
            return;
        };
        if r.sensitive_values.is_some() {
            self.has_sensitivity = true;
        }
        let mode = mode_of(&r.mode);
        if prior && mode != Mode::Data {
            // Managed resources of the prior state are in the planned world only through
            // planned_values / resource_changes.
            return;
        }
        self.note_keyed(&address, r.index.map(|s| s.0));
        if prior {
            self.prior_data.push(address.clone());
        } else {
            self.flag(&address, PLANNED);
        }
        if is_interesting(&r.type_) {
            self.entries.push(Entry {
                source: if prior {
                    Source::PriorData
                } else {
                    Source::Planned
                },
                module_address: None,
                address,
                mode,
                type_: r.type_,
                name: r.name,
                index: r.index.map(|s| s.0),
                action: if prior {
                    Action::DataRead
                } else {
                    Action::Unchanged
                },
                values: r.values.map(|s| s.0),
                unknown: None,
                sensitive: r.sensitive_values.map(|s| s.0),
                before: None,
            });
        }
    }
}

/// An address literal with its hash, computed once with a seed drawn once per process:
/// the address maps of the sections grow (rehashing every key) and are merged into one
/// without hashing the text of a key again (hashing the ~70-byte addresses again was a
/// sixth of the first pass), and equal addresses from different sections hash alike.
#[derive(Clone, Debug)]
pub(super) struct Hashed<'a> {
    hash: u64,
    pub(super) lit: Cow<'a, str>,
}

impl<'a> Hashed<'a> {
    fn new(lit: Cow<'a, str>) -> Self {
        use std::hash::BuildHasher;
        static SEED: std::sync::OnceLock<SeededHash> = std::sync::OnceLock::new();
        let hash = SEED
            .get_or_init(SeededHash::default)
            .hash_one(lit.as_bytes());
        Hashed { hash, lit }
    }
}

impl PartialEq for Hashed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.lit == other.lit
    }
}

impl Eq for Hashed<'_> {}

impl std::hash::Hash for Hashed<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// Hashes a [`Hashed`] by the hash it carries.
#[derive(Default, Clone, Copy)]
pub(super) struct Carried;

pub(super) struct CarriedHash(u64);

impl std::hash::BuildHasher for Carried {
    type Hasher = CarriedHash;
    fn build_hasher(&self) -> CarriedHash {
        CarriedHash(0)
    }
}

impl std::hash::Hasher for CarriedHash {
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used (by `Hashed`); anything else still hashes.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(MIX);
        }
    }
    fn write_u64(&mut self, h: u64) {
        self.0 ^= h;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Resource addresses without their key → how many keys (told apart by their raw JSON)
/// the plan names for each.
pub(super) type KeyedBases = HashMap<String, usize, SeededHash>;

/// A fast hash for the address maps (the std SipHash showed in profiles), keyed with a
/// random seed and multiplicative mixing, so that crafted addresses cannot be made to
/// collide without knowing the seed.
#[derive(Clone, Copy)]
pub(crate) struct SeededHash(u64);

impl Default for SeededHash {
    fn default() -> Self {
        use std::hash::BuildHasher;
        SeededHash(std::collections::hash_map::RandomState::new().hash_one(0x5eed_u64) | 1)
    }
}

impl std::hash::BuildHasher for SeededHash {
    type Hasher = Mixer;
    fn build_hasher(&self) -> Mixer {
        Mixer(self.0)
    }
}

pub(crate) struct Mixer(u64);

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

impl std::hash::Hasher for Mixer {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            h = (h ^ w).wrapping_mul(MIX);
            h ^= h >> 32;
        }
        let rest = chunks.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(last) ^ ((bytes.len() as u64) << 56)).wrapping_mul(MIX);
        self.0 = h ^ (h >> 29);
    }
    fn finish(&self) -> u64 {
        // murmur3's finaliser: every input bit affects every output bit.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

// ---- seeds ----------------------------------------------------------------------------------

/// Reads a section below the top level with the visitor it wraps; `null` in place of the
/// section reads as an empty one. One wrapper instead of the same `DeserializeSeed` and
/// `visit_unit` in every seed: a plain newtype, dispatched at compile time, so the streaming
/// loop stays as it was (no allocation, slices still borrowed from the input).
struct OrNull<V>(V);

impl<'de, V: Visitor<'de, Value = ()>> DeserializeSeed<'de> for OrNull<V> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, V: Visitor<'de, Value = ()>> Visitor<'de> for OrNull<V> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.0.visit_map(map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.0.visit_seq(seq)
    }
}

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
                    c.format_version = Some(map.next_value::<Span>()?.0);
                }
                TopKey::TerraformVersion => c.terraform_version = Some(map.next_value::<Span>()?.0),
                TopKey::Errored => {
                    let raw: Span = map.next_value()?;
                    c.errored = raw.0.trim() == "true";
                }
                TopKey::Variables => {
                    c.keys.variables = true;
                    c.section = "variables";
                    c.variables = Some(map.next_value::<Span>()?.0);
                }
                TopKey::Configuration => {
                    c.keys.configuration = true;
                    c.section = "configuration";
                    c.configuration = Some(map.next_value::<Span>()?.0);
                }
                TopKey::PlannedValues => {
                    c.keys.planned_values = true;
                    c.section = "planned_values";
                    map.next_value_seed(OrNull(ValuesSeed {
                        c: &mut *c,
                        prior: false,
                    }))?;
                }
                TopKey::ResourceChanges => {
                    c.keys.resource_changes = true;
                    c.section = "resource_changes";
                    map.next_value_seed(OrNull(ChangesSeed {
                        c: &mut *c,
                        deferred: false,
                    }))?;
                }
                TopKey::DeferredChanges => {
                    c.section = "deferred_changes";
                    map.next_value_seed(OrNull(ChangesSeed {
                        c: &mut *c,
                        deferred: true,
                    }))?;
                }
                TopKey::PriorState => {
                    c.keys.prior_state = true;
                    c.section = "prior_state";
                    map.next_value_seed(OrNull(PriorSeed { c: &mut *c }))?;
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

impl<'de> Visitor<'de> for ValuesSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a values object with root_module")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if !self.prior {
            self.c.keys.planned_object = true;
        }
        while let Some(key) = map.next_key::<ValuesKey>()? {
            match key {
                ValuesKey::RootModule => map.next_value_seed(OrNull(ModuleSeed {
                    c: &mut *self.c,
                    prior: self.prior,
                    child: false,
                }))?,
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

impl<'de> Visitor<'de> for PriorSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a state object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<StateKey>()? {
            match key {
                StateKey::Values => map.next_value_seed(OrNull(ValuesSeed {
                    c: &mut *self.c,
                    prior: true,
                }))?,
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
    /// A child module (not the root).
    child: bool,
}

/// The module being read, for making resource addresses absolute.
struct Frame<'a> {
    child: bool,
    addr: Option<Cow<'a, str>>,
    pending: Vec<RawValuesResource<'a>>,
}

impl<'a> Frame<'a> {
    /// Terraform 0.12 writes module-relative resource addresses inside the child modules of
    /// `prior_state`; prefix them with the module address. That address may come after the
    /// resources (Terraform writes `resources` first), so such resources wait for it.
    fn absolute(&mut self, mut r: RawValuesResource<'a>) -> Option<RawValuesResource<'a>> {
        let relative = match &r.address {
            Some(Lit(a)) => !a.starts_with("\"module."),
            None => false,
        };
        if !self.child || !relative {
            return Some(r);
        }
        match self.addr.as_deref().map(lit_inner) {
            Some(m) if !m.is_empty() => {
                let rel = r.address.as_ref().map_or("", |a| lit_inner(&a.0));
                r.address = Some(Lit(Cow::Owned(format!("\"{m}.{rel}\""))));
                Some(r)
            }
            Some(_) => Some(r),
            None => {
                self.pending.push(r);
                None
            }
        }
    }
}

impl<'de> Visitor<'de> for ModuleSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a module object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.c.module_depth += 1;
        self.c.deepest_module = self.c.deepest_module.max(self.c.module_depth);
        let mut frame = Frame {
            child: self.child,
            addr: None,
            pending: Vec::new(),
        };
        while let Some(key) = map.next_key::<ModuleKey>()? {
            match key {
                ModuleKey::Resources => map.next_value_seed(OrNull(ResourcesSeed {
                    c: &mut *self.c,
                    prior: self.prior,
                    frame: &mut frame,
                }))?,
                ModuleKey::ChildModules => map.next_value_seed(OrNull(ChildModulesSeed {
                    c: &mut *self.c,
                    prior: self.prior,
                }))?,
                ModuleKey::Address => {
                    let Lit(a) = map.next_value()?;
                    if !self.prior && a.len() > 2 {
                        self.c.note_module(&a);
                    }
                    frame.addr = Some(a);
                }
                ModuleKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if frame.addr.is_none() {
            frame.addr = Some(Cow::Borrowed("\"\""));
        }
        for r in std::mem::take(&mut frame.pending) {
            if let Some(r) = frame.absolute(r) {
                self.c.add_values_resource(r, self.prior);
            }
        }
        self.c.module_depth -= 1;
        Ok(())
    }
}

struct ChildModulesSeed<'c, 'a> {
    c: &'c mut Collected<'a>,
    prior: bool,
}

impl<'de> Visitor<'de> for ChildModulesSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of modules")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(OrNull(ModuleSeed {
                c: &mut *self.c,
                prior: self.prior,
                child: true,
            }))?
            .is_some()
        {}
        Ok(())
    }
}

struct ResourcesSeed<'c, 'a> {
    c: &'c mut Collected<'a>,
    prior: bool,
    frame: &'c mut Frame<'a>,
}

impl<'de> Visitor<'de> for ResourcesSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of resources")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(r) = seq.next_element::<RawValuesResource<'de>>()? {
            crate::cancel::check();
            if let Some(r) = self.frame.absolute(r) {
                self.c.add_values_resource(r, self.prior);
            }
        }
        Ok(())
    }
}

struct ChangesSeed<'c, 'a> {
    c: &'c mut Collected<'a>,
    deferred: bool,
}

impl<'de> Visitor<'de> for ChangesSeed<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of resource changes")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if !self.deferred {
            self.c.keys.changes_list = true;
        }
        if self.deferred {
            while let Some(d) = seq.next_element::<RawDeferred<'de>>()? {
                crate::cancel::check();
                if let Some(rc) = d.resource_change {
                    self.c.add_change(rc, true);
                }
            }
        } else {
            while let Some(rc) = seq.next_element::<RawChange<'de>>()? {
                crate::cancel::check();
                self.c.add_change(rc, false);
            }
        }
        Ok(())
    }
}

// ---- assembly -------------------------------------------------------------------------------

/// Parse a UTF-8 JSON plan (BOM already removed).
pub(crate) fn parse(bytes: &[u8], name: &str) -> Result<Plan, UserError> {
    parse_splitting_from(bytes, name, split::MIN_LEN)
}

/// [`parse`], reading the top-level sections on two threads when the text is at least
/// `split_min` bytes long (tests lower it to check both ways give the same plan).
fn parse_splitting_from(bytes: &[u8], name: &str, split_min: usize) -> Result<Plan, UserError> {
    // The byte scanner reads nearly every plan; whatever it leaves (every error among
    // them) is read by serde_json as before, for the same result or message.
    let (text, mut c) = match scan::collect(bytes, split_min) {
        Some(found) => found,
        None => collect_with_serde(bytes, name, split_min)?,
    };
    assemble(bytes, text, &mut c, name)
}

/// The first pass with serde_json: the UTF-8 check of the whole text, then the top level
/// on two threads when its layout allows, else sequentially (which gives every message).
fn collect_with_serde<'a>(
    bytes: &'a [u8],
    name: &str,
    split_min: usize,
) -> Result<(&'a str, Collected<'a>), UserError> {
    let text = utf8(bytes).map_err(|e| errors::not_utf8(name, e.valid_up_to()))?;
    let trimmed = text.trim_start();
    match trimmed.as_bytes().first() {
        None => return Err(errors::empty(name)),
        Some(b'{') => {}
        Some(b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
            if serde_json::from_str::<IgnoredAny>(text).is_ok() =>
        {
            return Err(errors::not_an_object(name, trimmed.as_bytes()[0]));
        }
        Some(_) => {}
    }

    // A large plan is read on two cores when its layout allows (see `split`); anything
    // unusual, including every error, goes the sequential way, which gives the messages.
    let split = if text.len() >= split_min {
        split::collect(text)
    } else {
        None
    };
    let c = match split {
        Some(c) => c,
        None => collect(text, name)?,
    };
    Ok((text, c))
}

/// The plan from what the first pass collected.
fn assemble(
    bytes: &[u8],
    text: &str,
    c: &mut Collected<'_>,
    name: &str,
) -> Result<Plan, UserError> {
    errors::check_kind(name, &c.keys)?;
    if let Some(raw) = c.format_version {
        errors::check_format_version(name, raw)?;
    }
    let format_version = c.format_version.and_then(raw_to_string);
    c.index_flags();

    let config = match c.configuration {
        Some(raw) if raw != "null" => {
            configuration::parse(raw).map_err(|e| errors::json(name, &e, "configuration"))?
        }
        _ => Configuration::default(),
    };
    // A secret can only be inside a kept resource's values that are longer than it.
    let longest_values = c
        .entries
        .iter()
        .filter_map(|e| e.values.map(str::len))
        .max()
        .unwrap_or(0);
    let variables = root_variables(c.variables, &config, longest_values)
        .map_err(|e| errors::json(name, &e, "variables"))?;

    let mut module_instances =
        with_ancestors(c.module_instances.iter().map(|l| unescape(l)).collect());
    let prior_kept = prior_data_kept(c, &module_instances, &config);
    // Module instances that hold only data sources appear nowhere else.
    // (Most are known already, and with them their ancestors: those need no second look.)
    let kept: Vec<&String> = prior_kept.iter().collect();
    let extra: BTreeSet<String> =
        crate::par::map(&kept, 256, |a| address::module_prefix(&unescape(a)))
            .into_iter()
            .filter(|m| !m.is_empty() && !module_instances.contains(m))
            .collect();
    module_instances.extend(with_ancestors(extra));
    let resource_count = c.seen.values().filter(|&&f| in_world(f)).count() + prior_kept.len();
    let kept = kept_entries(c, &prior_kept);
    // Each kept resource's address, unescaped once; the resources are built in the order of
    // their addresses (stable: of two entries for one address, the one kept first stays
    // first), so that `Plan::index` finds them sorted and moves none of them.
    let mut kept: Vec<(String, &Entry<'_>)> =
        crate::par::map(&kept, PARALLEL_BUILD_MIN, |e| (unescape(&e.address), *e));
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    let positions = positions(text, &kept, c.one_line);
    // From here on only the kept resources' values are read: the memory of a mapped plan
    // goes back, but for the parts that hold them (pages given back would be read again
    // from the page cache one fault at a time), so that what is built from it does not
    // come on top of the whole file.
    #[cfg(target_os = "linux")]
    {
        let mut spans: Vec<(usize, usize)> = kept
            .iter()
            .filter_map(|(_, e)| text_span(text, e))
            .collect();
        spans.sort_unstable();
        super::input::mapped::release_except(bytes, &spans);
    }
    let resources = build_resources(&kept, positions, name)?;

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
        keyed_bases: c.keyed_counts(),
        ..Plan::default()
    };
    mark_sensitive_variable_values(&mut plan);
    plan.index();
    Ok(plan)
}

/// `bytes` as text. A large input is checked as two halves on two threads, split where a
/// character starts: both halves valid means the whole is. When either is not, the whole is
/// checked again on one thread for the exact offset of the first bad byte.
fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    let mut mid = bytes.len() / 2;
    // At most three continuation bytes (10xxxxxx) follow the first byte of a character.
    while mid < bytes.len() && bytes[mid] & 0xC0 == 0x80 {
        mid += 1;
    }
    if bytes.len() < split::MIN_LEN || mid == bytes.len() {
        return std::str::from_utf8(bytes);
    }
    let (head, tail) = bytes.split_at(mid);
    let both = std::thread::scope(|s| {
        let tail = s.spawn(|| std::str::from_utf8(tail).is_ok());
        std::str::from_utf8(head).is_ok() && tail.join().unwrap_or(false)
    });
    if both {
        // SAFETY: `bytes` is the concatenation of two valid UTF-8 strings, which is valid
        // UTF-8 (each ends with a whole character).
        Ok(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        std::str::from_utf8(bytes)
    }
}

/// The whole document in one sequential pass.
fn collect<'a>(text: &'a str, name: &str) -> Result<Collected<'a>, UserError> {
    let mut c = Collected::default();
    let mut de = serde_json::Deserializer::from_str(text);
    TopSeed(&mut c)
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| errors::json(name, &e, c.section))?;
    Ok(c)
}

fn raw_to_string(raw: &str) -> Option<String> {
    match serde_json::from_str::<Value>(raw).ok()? {
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

/// The data sources found only in prior_state that are still part of the planned world
/// (as address literals).
fn prior_data_kept(
    c: &Collected<'_>,
    modules: &BTreeSet<String>,
    config: &Configuration,
) -> BTreeSet<String> {
    // Each check parses an address; a large plan has thousands: spread over the cores.
    let keep = crate::par::map(&c.prior_data, 256, |a| {
        c.flags(a).is_none() && prior_data_in_world(&unescape(a), modules, config)
    });
    c.prior_data
        .iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|(a, _)| a.to_string())
        .collect()
}

/// Whether a data source found only in prior_state is still part of the planned world: each
/// module instance on its way still exists, and (when the configuration is present) so does
/// its block. A module instance is known to exist from planned_values / resource_changes; a
/// module holding only data sources appears in neither, so when no instance of a call is
/// known at all the instance is assumed to exist.
fn prior_data_in_world(address: &str, modules: &BTreeSet<String>, config: &Configuration) -> bool {
    let prefix = address::module_prefix(address);
    let Some(path) = address::module_path(&prefix) else {
        return false;
    };
    let mut parent = String::new();
    let mut cfg = config.present.then_some(&config.root);
    for (call, key) in &path {
        let base = address::join(&parent, &format!("module.{call}"));
        let inst = match key {
            Some(k) => format!("{base}[{k}]"),
            None => base.clone(),
        };
        if !modules.contains(&inst) && !address::module_instances_of(modules, &base).is_empty() {
            return false;
        }
        if let Some(m) = cfg {
            match m.module_calls.get(call) {
                Some(c) => cfg = Some(&c.module),
                None => return false,
            }
        }
        parent = inst;
    }
    let Some(m) = cfg else {
        return true;
    };
    let rest = if prefix.is_empty() {
        address
    } else {
        &address[prefix.len() + 1..]
    };
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
        None => return false,
    };
    m.resources.contains_key(&rel)
}

fn in_world(flags: u8) -> bool {
    flags & CHANGE_IN != 0 || (flags & (CHANGE_IN | CHANGE_OUT) == 0 && flags & PLANNED != 0)
}

fn parse_raw(raw: Option<&str>, name: &str, address: &str) -> Result<Value, UserError> {
    match raw {
        None => Ok(Value::Null),
        // What most marks are (nothing unknown, nothing sensitive): no parser needed.
        Some("{}") => Ok(Value::Object(serde_json::Map::new())),
        Some("false") => Ok(Value::Bool(false)),
        Some("true") => Ok(Value::Bool(true)),
        Some("null") => Ok(Value::Null),
        Some(r) => serde_json::from_str(r).map_err(|e| errors::resource_values(name, address, &e)),
    }
}

/// The values of a kept resource: `after` (or `values`) stays text until read, after a
/// check that it is not nested deeper than anything later parsing it could handle.
fn attrs_of(
    e: &Entry<'_>,
    texts: Texts<'_>,
    name: &str,
    address: &str,
) -> Result<Attrs, UserError> {
    let unknown = parse_raw(e.unknown, name, address)?;
    let sensitive = parse_raw(e.sensitive, name, address)?;
    let attrs = match texts.values {
        None => Attrs::new(Value::Null, unknown, sensitive),
        Some(raw) => {
            if lazy::nests_deeper_than(raw, lazy::MAX_DEPTH) {
                return Err(errors::too_deep_values(name, address));
            }
            Attrs::from_text_in(raw, Some(texts.whole), unknown, sensitive)
        }
    };
    Ok(attrs.with_missing_unknown(e.action == Action::Read))
}

/// The entries that make resources, in order. Precedence: a change describes the planned
/// object best; planned_values only covers resources without a change entry; prior_state
/// only data sources read while planning. (An address listed twice in one section is
/// removed by `Plan::index`.)
fn kept_entries<'c, 'a>(c: &'c Collected<'a>, prior_kept: &BTreeSet<String>) -> Vec<&'c Entry<'a>> {
    // One pass over the entries, into one list per source, put end to end.
    let mut by_source: [Vec<&Entry<'_>>; 4] = Default::default();
    for e in &c.entries {
        let (at, keep) = match e.source {
            Source::Change => (0, true),
            Source::Deferred => (1, true),
            Source::Planned => (2, c.flags(&e.address).unwrap_or(0) == PLANNED),
            Source::PriorData => (3, prior_kept.contains(e.address.as_ref())),
        };
        if keep {
            by_source[at].push(e);
        }
    }
    let [mut kept, deferred, planned, prior] = by_source;
    kept.extend(deferred);
    kept.extend(planned);
    kept.extend(prior);
    kept
}

fn build_resources(
    kept: &[(String, &Entry<'_>)],
    positions: Vec<Option<(u32, u32)>>,
    name: &str,
) -> Result<Vec<Resource>, UserError> {
    let copied = copy_kept_texts(kept);
    let whole = &copied.whole;
    let text = |span: Option<(usize, usize)>| span.map(|(from, to)| &whole[from..to]);
    let items: Vec<(&(String, &Entry<'_>), Texts<'_>)> = kept
        .iter()
        .zip(&copied.spans)
        .map(|(k, &[values, before])| {
            let (values, before) = (text(values), text(before));
            (
                k,
                Texts {
                    values,
                    before,
                    whole,
                },
            )
        })
        .collect();
    // Each entry is built on its own (parsing its unknown/sensitive marks, indexing its
    // values), so with thousands of them the work is spread over the cores. Results come
    // back in order, so the first error reported is the one a sequential run would report.
    let mut resources = crate::par::map(&items, PARALLEL_BUILD_MIN, |((address, e), texts)| {
        resource_of(e, address, *texts, name)
    })
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    for (r, p) in resources.iter_mut().zip(positions) {
        r.position = p;
    }
    Ok(resources)
}

/// Kept resources per thread below which [`build_resources`] stays on one thread.
const PARALLEL_BUILD_MIN: usize = 256;

/// The texts a kept entry's resource is built from, in [`KeptTexts::whole`].
#[derive(Clone, Copy)]
struct Texts<'t> {
    values: Option<&'t str>,
    before: Option<&'t str>,
    whole: &'t SharedText,
}

/// The kept entries' `after` (or `values`) and `before` texts, copied end to end into one
/// text that the resources built from them share, and where each lies in it (in the order
/// of the entries). One copy on pages taken two megabytes at a time (when transparent huge
/// pages can be had) instead of one allocation per text: the copies' allocations and the
/// page faults of writing them were about 4% of the CPU time of a check of the 100 MB
/// benchmark plan. They take no more memory than separate copies, and the plan's own bytes
/// (a mapping of the file) can still go once it is read: read in place instead, the kept
/// texts held half the mapping in memory for the whole run.
struct KeptTexts {
    whole: SharedText,
    spans: Vec<[Option<(usize, usize)>; 2]>,
}

fn copy_kept_texts<'a>(kept: &[(String, &Entry<'a>)]) -> KeptTexts {
    let texts = |e: &Entry<'a>| -> [Option<&'a str>; 2] {
        let values = e.values.filter(|_| e.source != Source::Deferred);
        [values, e.before.map(|(raw, _)| raw)]
    };
    let len = kept
        .iter()
        .flat_map(|(_, e)| texts(e))
        .map(|t| t.map_or(0, str::len))
        .sum();
    let mut buf = vec![0u8; len];
    super::input::advise_huge_pages(&mut buf);
    let mut at = 0;
    let spans = kept
        .iter()
        .map(|(_, e)| {
            texts(e).map(|t| {
                t.map(|t| {
                    buf[at..at + t.len()].copy_from_slice(t.as_bytes());
                    at += t.len();
                    (at - t.len(), at)
                })
            })
        })
        .collect();
    // SAFETY: `buf` is whole `&str`s put end to end, which is UTF-8.
    let whole = unsafe { String::from_utf8_unchecked(buf) };
    KeptTexts {
        whole: std::sync::Arc::new(whole),
        spans,
    }
}

/// The resource of a kept entry whose address is `address` (unescaped).
fn resource_of(
    e: &Entry<'_>,
    address: &str,
    texts: Texts<'_>,
    name: &str,
) -> Result<Resource, UserError> {
    let values = match e.source {
        Source::Deferred => Attrs::all_unknown(),
        _ => attrs_of(e, texts, name, address)?,
    };
    let module_address = match &e.module_address {
        Some(m) => unescape(m),
        None => address::module_prefix(address),
    };
    let index = match e.index {
        Some(raw) => serde_json::from_str::<Value>(raw)
            .ok()
            .filter(|v| !v.is_null()),
        None => None,
    };
    let before = before_of(e, texts, name, address)?;
    Ok(Resource {
        address: address.to_string(),
        module_address,
        mode: e.mode,
        type_: e.type_.to_string(),
        name: e.name.to_string(),
        index,
        action: e.action,
        values,
        before,
        position: None,
    })
}

/// The values before the change (`change.before`), when kept and not null (a create has none).
fn before_of(
    e: &Entry<'_>,
    texts: Texts<'_>,
    name: &str,
    address: &str,
) -> Result<Option<Attrs>, UserError> {
    let (Some((_, sensitive)), Some(raw)) = (e.before, texts.before) else {
        return Ok(None);
    };
    if raw == "null" {
        return Ok(None);
    }
    if lazy::nests_deeper_than(raw, lazy::MAX_DEPTH) {
        return Err(errors::too_deep_values(name, address));
    }
    let sensitive = parse_raw(sensitive, name, address)?;
    Ok(Some(Attrs::from_text_in(
        raw,
        Some(texts.whole),
        Value::Null,
        sensitive,
    )))
}

/// The part of `text` (start and end offsets) an entry's pieces come from: its resource
/// object, or the part of it from the first piece kept to the last.
#[cfg(target_os = "linux")]
fn text_span(text: &str, e: &Entry<'_>) -> Option<(usize, usize)> {
    let base = text.as_ptr() as usize;
    let (mut lo, mut hi) = (usize::MAX, 0);
    let mut add = |s: &str| {
        let p = s.as_ptr() as usize;
        if p >= base && p + s.len() <= base + text.len() {
            lo = lo.min(p - base);
            hi = hi.max(p - base + s.len());
        }
    };
    for s in [Some(e.address.as_ref()), e.module_address.as_deref()]
        .into_iter()
        .chain([e.type_.as_ref(), e.name.as_ref()].map(Some))
        .chain([e.index, e.values, e.unknown, e.sensitive])
        .chain([e.before.map(|b| b.0), e.before.and_then(|b| b.1)])
        .flatten()
    {
        add(s);
    }
    (lo < hi).then_some((lo, hi))
}

/// The line and column in `text` of each entry's address literal (`kept[i]`, `None` for
/// one not taken from the text). One pass over the text up to the last entry: a plan in one
/// line (as `terraform show -json` writes it) is a single search for a newline that finds
/// none.
fn positions(text: &str, kept: &[(String, &Entry<'_>)], one_line: bool) -> Vec<Option<(u32, u32)>> {
    let mut out = vec![None; kept.len()];
    let base = text.as_ptr() as usize;
    let mut order: Vec<(usize, usize)> = kept
        .iter()
        .enumerate()
        .filter_map(|(i, (_, e))| {
            let p = e.address.as_ptr() as usize;
            (p >= base && p < base + text.len()).then(|| (p - base, i))
        })
        .collect();
    order.sort_unstable();
    let bytes = text.as_bytes();
    let (mut line, mut line_start, mut at) = (1u32, 0usize, 0usize);
    for (offset, i) in order {
        // (A text known to be one line needs no search: `terraform show -json` writes one.)
        let between = if one_line {
            &[][..]
        } else {
            &bytes[at..offset]
        };
        for nl in memchr::memchr_iter(b'\n', between) {
            line += 1;
            line_start = at + nl + 1;
        }
        at = offset;
        let column = (offset - line_start + 1).min(u32::MAX as usize) as u32;
        out[i] = Some((line, column));
    }
    out
}

/// A root variable's entry in `variables`: `{"value": …}`, the value left as text.
#[derive(Deserialize)]
struct RawVariable<'a> {
    #[serde(borrow, default)]
    value: Option<&'a RawValue>,
}

/// Values longer than this (as JSON text) keep only their kind, unless needed whole.
const VARIABLE_TEXT_KEPT: usize = 4 << 10;

/// The root variables. Their values serve two ends only: whether a value is null, a scalar
/// or a list/object (to tell an argument set through a variable from one left out), and,
/// for sensitive ones, the strings to hide wherever they appear in the kept resources. So a
/// long value (over [`VARIABLE_TEXT_KEPT`] bytes of JSON) keeps only its kind unless it is
/// sensitive and short enough to fit in the longest kept resource values
/// (`longest_values` bytes of JSON; an escape makes a character at most 6 bytes): a
/// 300 MB string in `variables` used to be copied whole, and cost 3× the file in memory.
fn root_variables(
    raw: Option<&str>,
    config: &Configuration,
    longest_values: usize,
) -> Result<BTreeMap<String, Variable>, serde_json::Error> {
    let mut out = BTreeMap::new();
    let parsed: BTreeMap<String, RawVariable<'_>> = match raw {
        Some(r) if r != "null" => serde_json::from_str(r)?,
        _ => BTreeMap::new(),
    };
    for (name, v) in parsed {
        let sensitive = config
            .root
            .variables
            .get(&name)
            .is_some_and(|d| d.sensitive);
        let text = v.value.map_or("null", RawValue::get);
        let needed = if sensitive {
            text.len() <= longest_values.saturating_mul(6).saturating_add(2)
        } else {
            text.len() <= VARIABLE_TEXT_KEPT
        };
        let value = if needed {
            serde_json::from_str(text)?
        } else {
            kind_only(text)?
        };
        out.insert(name, Variable { value, sensitive });
    }
    Ok(out)
}

/// A stand-in of the same kind as the JSON value `text` (checked to be valid JSON without
/// building it): an empty string, list or object; numbers, booleans and null as they are.
fn kind_only(text: &str) -> Result<Value, serde_json::Error> {
    let t = text.trim_start();
    // Nesting serde_json would refuse is refused the same way (it stops at the limit).
    if lazy::nests_deeper_than(t, 127) {
        return serde_json::from_str(t);
    }
    match t.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<IgnoredAny>(t).map(|_| Value::String(String::new())),
        Some(b'[') => serde_json::from_str::<IgnoredAny>(t).map(|_| Value::Array(Vec::new())),
        Some(b'{') => {
            serde_json::from_str::<IgnoredAny>(t).map(|_| Value::Object(serde_json::Map::new()))
        }
        _ => serde_json::from_str(t),
    }
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
    // Each resource searches its own text: on a large plan, spread over the cores.
    crate::par::for_each_mut(&mut plan.resources, 256, |r| {
        r.values.mark_sensitive_strings(&secrets)
    });
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interesting_types_match_the_list() {
        let listed = |t: &str| super::super::INTERESTING_TYPES.contains(&t);
        for t in super::super::INTERESTING_TYPES {
            assert!(is_interesting(t), "{t}");
            // Names one character off: only those in the list.
            for near in [
                format!("{t}s"),
                t[..t.len() - 1].to_string(),
                t.replace('_', "-"),
            ] {
                assert_eq!(is_interesting(&near), listed(&near), "{near}");
            }
        }
        for t in [
            "",
            "aws_",
            "aws_s3_bucket",
            "aws_ecs_service ",
            "AWS_VPC",
            "google_vpc",
        ] {
            assert!(!is_interesting(t), "{t}");
        }
    }

    #[test]
    fn literals_unescape_as_serde_json_reads_them() {
        let strings = [
            "",
            "aws_ecs_service.api",
            "module.app[\"blue\"].aws_ecs_service.api[\"x\"]",
            "a[\"q\\\"uote\"]",
            "back\\slash/solidus",
            "tab\tnew\nline\r\u{8}\u{c}",
            "<&> \u{e9} \u{1F600} \u{1}",
            "\\",
            "\"",
        ];
        let mut out = String::from("left over");
        for s in strings {
            // As serde_json writes it, and with every character escaped as `\uXXXX`.
            let plain = serde_json::to_string(s).unwrap();
            let mut all = String::from("\"");
            for u in s.encode_utf16() {
                all.push_str(&format!("\\u{u:04x}"));
            }
            all.push('"');
            for lit in [plain, all, format!("\"{}\"", s.replace('/', "\\/"))] {
                let Ok(expected) = serde_json::from_str::<String>(&lit) else {
                    continue;
                };
                assert_eq!(unescape(&lit), expected, "{lit}");
                unescape_into(&lit, &mut out);
                assert_eq!(out, expected, "{lit}");
            }
        }
        // A lone surrogate: what the reader made of it before (nothing).
        assert_eq!(unescape("\"\\ud800\""), "");
    }
    #[test]
    fn kept_texts_are_read_from_one_shared_copy() {
        // Values (one with an escaped name, one not an object), a `before` (kept for
        // autoscaling groups), and a deferred change (no values read).
        let doc = serde_json::json!({
            "format_version": "1.2",
            "resource_changes": [
                {"address": "aws_autoscaling_group.a", "mode": "managed",
                 "type": "aws_autoscaling_group", "name": "a",
                 "change": {"actions": ["update"],
                            "before": {"max_size": 1, "n\"q": "b"},
                            "after": {"max_size": 2, "tag": [{"k": "v\n"}]},
                            "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}},
                {"address": "aws_ecs_service.s", "mode": "managed", "type": "aws_ecs_service",
                 "name": "s",
                 "change": {"actions": ["create"], "before": null, "after": {"name": "s"},
                            "after_unknown": {}, "after_sensitive": {}}}
            ]
        })
        .to_string();
        let plan = parse(doc.as_bytes(), "p.json").unwrap();
        let asg = plan.resource("aws_autoscaling_group.a").unwrap();
        let root = asg.values.root();
        assert_eq!(root.get("max_size").int().get(), Some(&2));
        assert_eq!(
            root.get("tag")
                .at(0)
                .get("k")
                .string()
                .get()
                .map(String::as_str),
            Some("v\n")
        );
        let before = asg.before.as_ref().unwrap().root();
        assert_eq!(before.get("max_size").int().get(), Some(&1));
        assert_eq!(
            before.get("n\"q").string().get().map(String::as_str),
            Some("b")
        );
        let svc = plan.resource("aws_ecs_service.s").unwrap();
        assert_eq!(
            svc.values
                .root()
                .get("name")
                .string()
                .get()
                .map(String::as_str),
            Some("s")
        );
        assert!(svc.before.is_none());
        // No kept entry, no text (and no allocation to advise).
        assert!(copy_kept_texts(&[]).whole.is_empty());
    }
}
