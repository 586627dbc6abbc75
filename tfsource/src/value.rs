//! Values the evaluator produces: known HCL values, or unknown ones that remember where
//! they come from.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// What an attribute expression evaluates to.
///
/// Lists, tuples and sets are all [`Value::List`]; maps and objects are [`Value::Map`]
/// (keys in lexical order, as Terraform orders them). A value the sources cannot settle
/// before apply is [`Value::Unknown`]: it names the references it depends on, and may
/// still carry structure (see [`Unknown::json`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Unknown(Unknown),
}

/// An unknown value and what it is made from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unknown {
    /// The references the value depends on, e.g. `module.db.aws_db_instance.this` `address`.
    /// Empty when the value is unknown for another reason (an unsupported function, a
    /// variable without value).
    pub refs: Vec<Ref>,
    /// Derived from a value Terraform marks sensitive (a `sensitive = true` variable): never
    /// print it.
    pub sensitive: bool,
    /// For a string made by `jsonencode` of a partly unknown value: that value. So a
    /// `container_definitions = jsonencode([...])` whose image is unknown still shows its
    /// names and ports through `json`; `jsondecode` gives it back.
    pub json: Option<Box<Value>>,
    /// The value is exactly that of its one reference (`aws_iam_role.svc.arn`, through
    /// variables, locals and module outputs), not computed from it: no conditional or
    /// function stands between them, so it is null only when that attribute is.
    pub exact: bool,
    /// The value is certainly not null once known: it is the result of a function that
    /// never returns null (`cidrsubnet`, `format`, `join`, ...: Terraform refuses a null
    /// argument to them with "argument must not be null" rather than return null) or of a
    /// string template (interpolating null is an error). A plan that succeeds therefore
    /// has a value there.
    pub not_null: bool,
}

/// A reference to something known only after apply (a resource or data source attribute),
/// or a value the evaluator could not settle.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ref {
    /// The resource instance address as in the plan, module path included:
    /// `module.svc["a"].aws_ecs_service.this`, `aws_subnet.private[0]`,
    /// `data.aws_vpc.main`; `var.x`/`local.x` for an input without a value. A `[*]`
    /// instance key means "some instance of a counted resource whose count is unknown".
    /// Shared: a reference is copied into every value made from it (a local, a container
    /// definition and each of its parts), and a copy costs no allocation.
    pub address: Arc<str>,
    /// Attribute path inside it (`id`, `network_configuration[0].subnets`); empty for
    /// the whole object.
    pub attribute: Arc<str>,
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.attribute.is_empty() {
            f.write_str(&self.address)
        } else {
            write!(f, "{}.{}", self.address, self.attribute)
        }
    }
}

impl Value {
    /// An unknown value from one reference.
    pub fn unknown_from(address: impl Into<Arc<str>>, attribute: impl Into<Arc<str>>) -> Value {
        Value::Unknown(Unknown {
            refs: vec![Ref {
                address: address.into(),
                attribute: attribute.into(),
            }],
            exact: true,
            ..Unknown::default()
        })
    }

    /// An unknown value from one reference to a whole object (`aws_subnet.a`, `var.x`):
    /// [`Value::unknown_from`] with an empty attribute, which is shared, not allocated.
    pub fn unknown_whole(address: impl Into<Arc<str>>) -> Value {
        static EMPTY: std::sync::OnceLock<Arc<str>> = std::sync::OnceLock::new();
        let empty = EMPTY.get_or_init(|| Arc::from("")).clone();
        Value::unknown_from(address, empty)
    }

    /// An unknown value with no reference (unsupported function, bad argument types).
    pub fn unknown() -> Value {
        Value::Unknown(Unknown::default())
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// True when no part of the value is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::List(v) => v.iter().all(Value::is_wholly_known),
            Value::Map(m) => m.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    /// True when some part is derived from a sensitive value.
    pub fn is_sensitive(&self) -> bool {
        match self {
            Value::Unknown(u) => u.sensitive,
            Value::List(v) => v.iter().any(Value::is_sensitive),
            Value::Map(m) => m.values().any(Value::is_sensitive),
            _ => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A whole number (Terraform converts numeric strings).
    pub fn as_i64(&self) -> Option<i64> {
        self.as_f64()
            .filter(|n| n.fract() == 0.0 && n.abs() < 9.0e15)
            .map(|n| n as i64)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The member `key` of a map, or `None`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// Every reference the value depends on, in order of appearance, without repeats.
    pub fn refs(&self) -> Vec<Ref> {
        let mut out = Vec::new();
        self.collect_unknowns(&mut out);
        out
    }

    /// Appends the references of [`Value::refs`] not in `out` yet; tells in the same walk
    /// whether some part is sensitive ([`Value::is_sensitive`]).
    pub(crate) fn collect_unknowns(&self, out: &mut Vec<Ref>) -> bool {
        match self {
            Value::Unknown(u) => {
                for r in &u.refs {
                    if !out.contains(r) {
                        out.push(r.clone());
                    }
                }
                if let Some(j) = &u.json {
                    j.collect_unknowns(out);
                }
                u.sensitive
            }
            Value::List(v) => v.iter().fold(false, |s, x| x.collect_unknowns(out) | s),
            Value::Map(m) => m.values().fold(false, |s, x| x.collect_unknowns(out) | s),
            _ => false,
        }
    }

    /// The string form Terraform gives a primitive (`tostring`, template interpolation):
    /// numbers without a trailing `.0`. `None` for null, collections and unknowns.
    pub fn to_template_string(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(number_string(*n)),
            _ => None,
        }
    }

    /// From JSON (the plan's `variables` values, `jsondecode`).
    pub fn from_json(j: &serde_json::Value) -> Value {
        match j {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// To JSON, when wholly known (`jsonencode`).
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_json(*n)?,
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(v) => {
                serde_json::Value::Array(v.iter().map(Value::to_json).collect::<Option<_>>()?)
            }
            Value::Map(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Unknown(_) => return None,
        })
    }

    /// [`Value::to_json`], moving the strings and collections instead of copying them.
    pub fn into_json(self) -> Option<serde_json::Value> {
        Some(match self {
            Value::String(s) => serde_json::Value::String(s),
            Value::List(v) => serde_json::Value::Array(
                v.into_iter().map(Value::into_json).collect::<Option<_>>()?,
            ),
            Value::Map(m) => serde_json::Value::Object(
                m.into_iter()
                    .map(|(k, v)| Some((k, v.into_json()?)))
                    .collect::<Option<_>>()?,
            ),
            other => return other.to_json(),
        })
    }

    /// A short description for messages; sensitive parts print as `(sensitive)`.
    pub fn describe(&self) -> String {
        match self {
            Value::Unknown(u) if u.sensitive => "(sensitive)".to_string(),
            Value::Unknown(u) => match u.refs.first() {
                Some(r) => format!("(known after apply, from {r})"),
                None => "(known after apply)".to_string(),
            },
            Value::String(s) => format!("{s:?}"),
            Value::Null => "null".to_string(),
            Value::List(v) => format!(
                "[{}]",
                v.iter().map(Value::describe).collect::<Vec<_>>().join(", ")
            ),
            Value::Map(m) => format!(
                "{{{}}}",
                m.iter()
                    .map(|(k, v)| format!("{k} = {}", v.describe()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            other => other.to_template_string().unwrap_or_default(),
        }
    }
}

/// `8080`, `0.5`: integers without a fractional part.
pub fn number_string(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn number_json(n: f64) -> Option<serde_json::Value> {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Some(serde_json::Value::from(n as i64))
    } else {
        serde_json::Number::from_f64(n).map(serde_json::Value::Number)
    }
}

/// Merge the references (and sensitivity) of several values into one unknown.
/// `v` marked as certainly not null when it is unknown (see [`Unknown::not_null`]).
pub fn not_null(v: Value) -> Value {
    match v {
        Value::Unknown(mut u) => {
            u.not_null = true;
            Value::Unknown(u)
        }
        other => other,
    }
}

/// Functions whose result is never null: they refuse a null argument ("argument must not
/// be null") and otherwise return a string, number or collection.
pub const NEVER_NULL_FUNCTIONS: &[&str] = &[
    "base64decode",
    "base64encode",
    "cidrhost",
    "cidrnetmask",
    "cidrsubnet",
    "cidrsubnets",
    "format",
    "join",
    "jsonencode",
    "length",
    "lower",
    "replace",
    "split",
    "trimspace",
    "upper",
];

pub fn unknown_of<'a>(parts: impl IntoIterator<Item = &'a Value>) -> Value {
    let mut u = Unknown::default();
    for p in parts {
        // The references straight into the result (in [`Value::refs`] order, without
        // repeats): no list of its own per part; sensitivity in the same walk.
        u.sensitive |= p.collect_unknowns(&mut u.refs);
    }
    Value::Unknown(u)
}
