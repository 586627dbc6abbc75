//! Attribute values of one resource instance with their "known after apply" and
//! sensitivity mirrors.
//!
//! Terraform writes three parallel trees per resource change (plan-format.md §9, §10):
//! `after` (unknown object attributes removed, unknown list elements `null`),
//! `after_unknown` (`true` at unknown leaves, or `true` for a wholly unknown collection) and
//! `after_sensitive` (`true` at sensitive leaves, or a plain `true` for everything). Instead
//! of merging them into one tree we keep all three and walk them in step, so that a lookup
//! costs only the depth of the path and nothing is copied.

use serde_json::Value;

use super::lazy::{LazyObject, SharedText};
use crate::model::{Field, Val};

/// The `after` tree: parsed, or (resources read from a plan) an object parsed member by
/// member on demand.
#[derive(Debug, Clone)]
enum After {
    Eager(Value),
    Lazy(LazyObject),
}

impl Default for After {
    fn default() -> Self {
        After::Eager(Value::Null)
    }
}

/// A value tree with its unknown and sensitive mirrors. Navigation never panics; a missing
/// key under an unknown parent is unknown, under a sensitive parent is sensitive.
#[derive(Debug, Clone, Default)]
pub struct Attrs {
    after: After,
    unknown: Value,
    sensitive: Value,
    /// Deferred data reads: an attribute absent from `after` will be read at apply time, so
    /// absence means unknown rather than null.
    missing_is_unknown: bool,
}

impl Attrs {
    /// Values with their unknown and sensitive mirrors, in the shape Terraform writes them
    /// (`after`, `after_unknown`, `after_sensitive`). Missing mirrors are `Value::Null`.
    pub fn new(after: Value, unknown: Value, sensitive: Value) -> Self {
        Attrs {
            after: After::Eager(after),
            unknown,
            sensitive,
            missing_is_unknown: false,
        }
    }

    /// From the JSON text of `after` (valid JSON, checked no deeper than
    /// [`super::lazy::MAX_DEPTH`]): an object is kept as text and parsed on access.
    #[cfg(test)]
    pub(crate) fn from_text(after: &str, unknown: Value, sensitive: Value) -> Self {
        Attrs::from_text_in(after, None, unknown, sensitive)
    }

    /// [`Attrs::from_text`], an object kept as a part of `whole` when its text lies in it.
    pub(crate) fn from_text_in(
        after: &str,
        whole: Option<&SharedText>,
        unknown: Value,
        sensitive: Value,
    ) -> Self {
        let after = match LazyObject::new_in(after, whole) {
            Some(l) => After::Lazy(l),
            None => After::Eager(serde_json::from_str(after).unwrap_or(Value::Null)),
        };
        Attrs {
            after,
            unknown,
            sensitive,
            missing_is_unknown: false,
        }
    }

    /// Fully known, non-sensitive values (tests, assumptions).
    pub fn known(after: Value) -> Self {
        Attrs::new(after, Value::Null, Value::Null)
    }

    /// Everything unknown (a deferred change whose values Terraform did not plan).
    pub fn all_unknown() -> Self {
        Attrs::new(Value::Null, Value::Bool(true), Value::Null)
    }

    /// Treat attributes that are absent from `after` as unknown (deferred data reads).
    pub fn with_missing_unknown(mut self, yes: bool) -> Self {
        self.missing_is_unknown = yes;
        self
    }

    /// Mark the whole tree sensitive (e.g. decoded from a sensitive string).
    pub fn with_all_sensitive(mut self) -> Self {
        self.sensitive = Value::Bool(true);
        self
    }

    pub fn root(&self) -> AttrRef<'_> {
        let value = match &self.after {
            After::Eager(v) => Node::Value(v),
            After::Lazy(l) => Node::Lazy(l),
        };
        AttrRef {
            value,
            unknown: Some(&self.unknown),
            sensitive: Some(&self.sensitive),
            inherited_unknown: false,
            inherited_sensitive: false,
            missing_is_unknown: self.missing_is_unknown,
        }
    }

    /// Mark every string that contains one of `secrets` as sensitive (values derived from
    /// sensitive variables in plans without sensitivity marks).
    pub fn mark_sensitive_strings(&mut self, secrets: &[String]) {
        match &self.after {
            After::Eager(v) => mark(v, &mut self.sensitive, secrets),
            After::Lazy(l) => {
                // Only members whose text could hold a secret are parsed. A secret appears
                // in the text JSON-escaped, possibly twice (JSON strings inside JSON), and
                // Terraform escapes <, > and & as \u003c etc.; when escaping could change
                // it, every member is checked.
                let mut keys: Vec<&str> = Vec::new();
                for secret in secrets {
                    // The text of a patched object is no longer its own.
                    if !l.is_patched()
                        && secret.chars().all(|c| {
                            c.is_ascii_alphanumeric() || " -_.:/@+=,;!?#$%*()'".contains(c)
                        })
                    {
                        keys.extend(l.members_containing(secret));
                    } else {
                        keys = l.keys();
                        break;
                    }
                }
                keys.sort_unstable();
                keys.dedup();
                for k in keys {
                    if let Some(v) = l.get(k) {
                        if !self.sensitive.is_object() && !is_true(Some(&self.sensitive)) {
                            self.sensitive = Value::Object(Default::default());
                        }
                        if let Value::Object(m) = &mut self.sensitive {
                            let slot = m.entry(k.to_string()).or_insert(Value::Null);
                            mark(v, slot, secrets);
                            if slot.is_null() {
                                m.remove(k);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Replace the member `key` of the `after` tree and of the unknown mirror (a null one
    /// is removed), in place: a lazily read `after` keeps its other members as text (see
    /// [`LazyObject::set`]). A tree or mirror that is not an object becomes one first.
    pub(crate) fn set_member(&mut self, key: &str, after: Value, unknown: Value) {
        let present = |v: Value| (!v.is_null()).then_some(v);
        match &mut self.after {
            After::Lazy(l) => l.set(key, present(after)),
            After::Eager(v) => set_in(v, key, present(after)),
        }
        set_in(&mut self.unknown, key, present(unknown));
    }

    /// The sensitivity mirror, to add marks to.
    pub(crate) fn sensitive_mut(&mut self) -> &mut Value {
        &mut self.sensitive
    }

    /// The unknown and sensitivity mirrors, as Terraform writes them.
    pub fn mirrors(&self) -> (&Value, &Value) {
        (&self.unknown, &self.sensitive)
    }

    /// The raw `after` tree (unknown parts absent or null). Prefer [`Attrs::root`].
    pub fn after(&self) -> &Value {
        match &self.after {
            After::Eager(v) => v,
            After::Lazy(l) => l.whole(),
        }
    }

    /// [`Attrs::after`], taken out: for a decoded tree that is consumed whole (container
    /// definitions), which saves copying it.
    pub fn into_after(self) -> Value {
        self.into_parts().0
    }

    /// The `after` tree and the unknown and sensitivity mirrors, taken out: for values
    /// rebuilt from these (the source overlay), which saves copying what they keep.
    pub(crate) fn into_parts(self) -> (Value, Value, Value) {
        let after = match self.after {
            After::Eager(v) => v,
            After::Lazy(l) => l.into_value(),
        };
        (after, self.unknown, self.sensitive)
    }
}

impl PartialEq for Attrs {
    fn eq(&self, other: &Self) -> bool {
        self.after() == other.after()
            && self.unknown == other.unknown
            && self.sensitive == other.sensitive
            && self.missing_is_unknown == other.missing_is_unknown
    }
}

/// A borrowed position inside an [`Attrs`] tree, carrying the flags inherited from its
/// ancestors.
#[derive(Debug, Clone, Copy)]
pub struct AttrRef<'a> {
    value: Node<'a>,
    unknown: Option<&'a Value>,
    sensitive: Option<&'a Value>,
    inherited_unknown: bool,
    inherited_sensitive: bool,
    missing_is_unknown: bool,
}

/// Where an [`AttrRef`] points in the `after` tree.
#[derive(Debug, Clone, Copy)]
enum Node<'a> {
    Missing,
    Value(&'a Value),
    Lazy(&'a LazyObject),
}

impl<'a> Node<'a> {
    fn from(v: Option<&'a Value>) -> Self {
        v.map_or(Node::Missing, Node::Value)
    }
    fn value(self) -> Option<&'a Value> {
        match self {
            Node::Missing => None,
            Node::Value(v) => Some(v),
            Node::Lazy(l) => Some(l.whole()),
        }
    }
}

fn is_true(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true)))
}

/// Whether a mirror tree marks anything at or below this node. Recursion depth is bounded
/// by serde_json's nesting limit (128) on the parsed tree.
fn any_true(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Array(a)) => a.iter().any(|x| any_true(Some(x))),
        Some(Value::Object(o)) => o.values().any(|x| any_true(Some(x))),
        _ => false,
    }
}

impl<'a> AttrRef<'a> {
    fn child(self, value: Node<'a>, unknown: Option<&'a Value>, sens: Option<&'a Value>) -> Self {
        AttrRef {
            value,
            unknown,
            sensitive: sens,
            inherited_unknown: self.inherited_unknown || is_true(self.unknown),
            inherited_sensitive: self.inherited_sensitive || is_true(self.sensitive),
            missing_is_unknown: self.missing_is_unknown,
        }
    }

    /// Object member.
    pub fn get(self, key: &str) -> AttrRef<'a> {
        let pick = |v: Option<&'a Value>| v.and_then(|v| v.as_object()).and_then(|o| o.get(key));
        let value = match self.value {
            Node::Lazy(l) => Node::from(l.get(key)),
            Node::Value(v) => Node::from(pick(Some(v))),
            Node::Missing => Node::Missing,
        };
        self.child(value, pick(self.unknown), pick(self.sensitive))
    }

    /// [`AttrRef::get`] for `f` alone: a member of an object read lazily is parsed for `f`
    /// and dropped after (see [`LazyObject::with_member`]), for a large member read once.
    pub(crate) fn with_member<R>(self, key: &str, f: impl FnOnce(AttrRef<'_>) -> R) -> R {
        match self.value {
            Node::Lazy(l) => l.with_member(key, |v| {
                let pick =
                    |v: Option<&'a Value>| v.and_then(|v| v.as_object()).and_then(|o| o.get(key));
                f(self.child(Node::from(v), pick(self.unknown), pick(self.sensitive)))
            }),
            _ => f(self.get(key)),
        }
    }

    /// Array element.
    pub fn at(self, i: usize) -> AttrRef<'a> {
        let pick = |v: Option<&'a Value>| v.and_then(|v| v.as_array()).and_then(|a| a.get(i));
        let value = match self.value {
            Node::Value(v) => Node::from(pick(Some(v))),
            Node::Lazy(_) | Node::Missing => Node::Missing,
        };
        self.child(value, pick(self.unknown), pick(self.sensitive))
    }

    /// A dotted path such as `network_configuration.0.subnets`. A numeric segment indexes an
    /// array; on an object it is treated as a member name.
    pub fn path(self, dotted: &str) -> AttrRef<'a> {
        let mut cur = self;
        for seg in dotted.split('.').filter(|s| !s.is_empty()) {
            // Only a numeric segment asks whether the object has such a member (a search
            // of the object: not repeated for every name).
            let has_member = |cur: AttrRef<'a>| match cur.value {
                Node::Lazy(l) => l.get(seg).is_some(),
                Node::Value(Value::Object(o)) => o.contains_key(seg),
                _ => false,
            };
            let is_object = matches!(cur.value, Node::Lazy(_) | Node::Value(Value::Object(_)));
            cur = match seg.parse::<usize>() {
                Err(_) => cur.get(seg),
                Ok(_) if has_member(cur) => cur.get(seg),
                // A single nested block is an object where the path (written for the
                // list form) says `.0.`: stay on the object.
                Ok(0) if is_object => cur,
                Ok(i) => cur.at(i),
            };
        }
        cur
    }

    /// Whether this node itself is unknown (not whether something below it is).
    pub fn is_unknown(self) -> bool {
        if self.inherited_unknown || is_true(self.unknown) {
            return true;
        }
        matches!(self.value, Node::Missing) && self.missing_is_unknown
    }

    /// Whether this node, or anything below it, is unknown.
    pub fn contains_unknown(self) -> bool {
        self.is_unknown() || any_true(self.unknown)
    }

    /// Whether this value, or any part of it, is sensitive. A partly sensitive object counts as
    /// sensitive, so that printing it can never leak the sensitive part.
    pub fn is_sensitive(self) -> bool {
        self.inherited_sensitive || any_true(self.sensitive)
    }

    fn state(self) -> Val<&'a Value> {
        if self.is_unknown() {
            return Val::Unknown;
        }
        match self.value.value() {
            None | Some(Value::Null) => Val::Null,
            Some(v) => Val::Known(v),
        }
    }

    fn field<T>(self, f: impl FnOnce(&'a Value) -> Option<T>) -> Field<T> {
        let val = match self.state() {
            Val::Known(v) => match f(v) {
                Some(t) => Val::Known(t),
                None => Val::Null,
            },
            Val::Null => Val::Null,
            Val::Unknown => Val::Unknown,
        };
        Field {
            val,
            sensitive: self.is_sensitive(),
        }
    }

    /// Known(value) | Null | Unknown, plus sensitivity. A known object or array may still
    /// contain unknown parts: navigate with `get`/`at` or check [`AttrRef::contains_unknown`].
    pub fn raw(self) -> Field<&'a Value> {
        self.field(Some)
    }

    /// Strings; numbers and bools are stringified; other kinds give Null.
    pub fn string(self) -> Field<String> {
        self.field(scalar_string)
    }

    /// Numbers (integral) and numeric strings; other kinds give Null.
    pub fn int(self) -> Field<i64> {
        self.field(|v| match v {
            Value::Number(n) => n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            }),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        })
    }

    /// Bools and the strings "true"/"false".
    pub fn bool(self) -> Field<bool> {
        self.field(|v| match v {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        })
    }

    /// A list or set of strings. Unknown if the list or any element is unknown; null elements
    /// are skipped; sensitive if any element is.
    pub fn strings(self) -> Field<Vec<String>> {
        match self.items().val {
            Val::Known(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item.string().val {
                        Val::Known(s) => out.push(s),
                        Val::Null => {}
                        Val::Unknown => {
                            return Field::unknown().with_sensitive(self.is_sensitive())
                        }
                    }
                }
                Field::known(out).with_sensitive(self.is_sensitive())
            }
            Val::Null => Field::null().with_sensitive(self.is_sensitive()),
            Val::Unknown => Field::unknown().with_sensitive(self.is_sensitive()),
        }
    }

    /// Array elements (nested block list). A single object counts as one item, so that
    /// single-nested blocks read the same way as one-element lists.
    pub fn items(self) -> Field<Vec<AttrRef<'a>>> {
        let sensitive = self.is_sensitive();
        if let (Node::Lazy(_), false) = (self.value, self.is_unknown()) {
            return Field::known(vec![self]).with_sensitive(sensitive);
        }
        match self.state() {
            Val::Known(Value::Array(a)) => {
                Field::known((0..a.len()).map(|i| self.at(i)).collect()).with_sensitive(sensitive)
            }
            Val::Known(Value::Object(_)) => Field::known(vec![self]).with_sensitive(sensitive),
            Val::Known(_) | Val::Null => Field::null().with_sensitive(sensitive),
            Val::Unknown => Field::unknown().with_sensitive(sensitive),
        }
    }

    /// Member names of a known object (e.g. `tags`), in sorted order.
    pub fn keys(self) -> Field<Vec<&'a str>> {
        if let (Node::Lazy(l), false) = (self.value, self.is_unknown()) {
            return Field::known(l.keys()).with_sensitive(self.is_sensitive());
        }
        self.field(|v| {
            v.as_object()
                .map(|o| o.keys().map(String::as_str).collect())
        })
    }

    /// The structure the Terraform sources gave in place of a JSON string (an array or
    /// object, see [`AttrRef::decode_json`]), read where it lies: it navigates as the root
    /// of the tree `decode_json` would copy out, without the copy. `None` for anything
    /// else (a string, null, unknown).
    pub(crate) fn json_structure(self) -> Option<AttrRef<'a>> {
        let Val::Known(v @ (Value::Array(_) | Value::Object(_))) = self.state() else {
            return None;
        };
        Some(AttrRef {
            value: Node::Value(v),
            unknown: self.unknown,
            sensitive: self.sensitive,
            inherited_unknown: false,
            inherited_sensitive: self.inherited_sensitive,
            missing_is_unknown: false,
        })
    }

    /// Decode a string holding JSON (`container_definitions`). An unknown string gives
    /// Unknown; a sensitive string gives a tree that is sensitive throughout. `Err` when the
    /// string is known but is not JSON. An array or object in place of the string is the
    /// structure the Terraform sources gave for a string the plan leaves unknown
    /// (`jsonencode([...])` with an unknown image): it is taken as decoded, with its
    /// unknown and sensitive mirrors.
    pub fn decode_json(self) -> Result<Field<Attrs>, String> {
        let sensitive = self.is_sensitive();
        match self.state() {
            Val::Known(v @ (Value::Array(_) | Value::Object(_))) => {
                let attrs = Attrs::new(
                    v.clone(),
                    self.unknown.cloned().unwrap_or(Value::Null),
                    self.sensitive.cloned().unwrap_or(Value::Null),
                );
                let attrs = if self.inherited_sensitive {
                    attrs.with_all_sensitive()
                } else {
                    attrs
                };
                Ok(Field::known(attrs).with_sensitive(sensitive))
            }
            Val::Known(Value::String(s)) => {
                let v: Value =
                    serde_json::from_str(s).map_err(|e| format!("not valid JSON: {e}"))?;
                let attrs = if sensitive {
                    Attrs::known(v).with_all_sensitive()
                } else {
                    Attrs::known(v)
                };
                Ok(Field::known(attrs).with_sensitive(sensitive))
            }
            Val::Known(_) => Err("not a string".to_string()),
            Val::Null => Ok(Field::null().with_sensitive(sensitive)),
            Val::Unknown => Ok(Field::unknown().with_sensitive(sensitive)),
        }
    }
}

/// Replace (`None`: remove) the member `key` of an object, which `v` becomes when it is
/// not one.
fn set_in(v: &mut Value, key: &str, member: Option<Value>) {
    if !v.is_object() {
        *v = Value::Object(Default::default());
    }
    let Value::Object(o) = v else { return };
    match (member, o.get_mut(key)) {
        // In place: the name is not allocated again.
        (Some(m), Some(slot)) => *slot = m,
        (Some(m), None) => {
            o.insert(key.to_string(), m);
        }
        (None, _) => {
            o.remove(key);
        }
    }
}

/// Set `true` in the sensitivity mirror at every string of `after` containing a secret.
/// Recursion depth is bounded by serde_json's nesting limit on `after`.
fn mark(after: &Value, mirror: &mut Value, secrets: &[String]) {
    if is_true(Some(mirror)) {
        return;
    }
    match after {
        Value::String(s) if secrets.iter().any(|x| s.contains(x.as_str())) => {
            *mirror = Value::Bool(true);
        }
        Value::Object(o) => {
            if !mirror.is_object() {
                *mirror = Value::Object(Default::default());
            }
            if let Value::Object(m) = mirror {
                for (k, v) in o {
                    let slot = m.entry(k.clone()).or_insert(Value::Null);
                    mark(v, slot, secrets);
                    if slot.is_null() {
                        m.remove(k);
                    }
                }
            }
        }
        Value::Array(a) => {
            if !matches!(mirror, Value::Array(m) if m.len() == a.len()) {
                *mirror = Value::Array(vec![Value::Bool(false); a.len()]);
            }
            if let Value::Array(m) = mirror {
                for (v, slot) in a.iter().zip(m.iter_mut()) {
                    mark(v, slot, secrets);
                }
            }
        }
        _ => {}
    }
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
