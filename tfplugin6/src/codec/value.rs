//! Terraform values (cty) without their types: the schema gives the type whenever a value is
//! encoded or interpreted. Lists, sets and tuples are all [`Value::List`]; maps and objects
//! are both [`Value::Map`].

use std::collections::BTreeMap;

use super::types::Type;

/// A cty number. Terraform sends integers as msgpack integers and other numbers as floats
/// (or, beyond float precision, as decimal strings, which are read as floats here).
#[derive(Clone, Copy, Debug)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    /// The integer value when the number is integral and fits an `i64`.
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(i),
            Number::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(f as i64),
            Number::Float(_) => None,
        }
    }

    /// The decimal form Terraform would print (integers without a fraction).
    pub fn to_decimal(self) -> String {
        match self.as_i64() {
            Some(i) => i.to_string(),
            None => self.as_f64().to_string(),
        }
    }

    pub fn parse(s: &str) -> Option<Number> {
        let s = s.trim();
        if let Ok(i) = s.parse::<i64>() {
            return Some(Number::Int(i));
        }
        s.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Number::Float)
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (self.as_i64(), other.as_i64()) {
            (Some(a), Some(b)) => a == b,
            _ => self.as_f64() == other.as_f64(),
        }
    }
}

/// A value. Unknown values keep the refinement payload Terraform sent (msgpack extension 12),
/// so they can be returned unchanged.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    /// Not known until apply. `Some(payload)`: a refined unknown (extension 12) with its
    /// msgpack-encoded refinements; `None`: a plain unknown (extension 0).
    Unknown(Option<Vec<u8>>),
    Bool(bool),
    Number(Number),
    String(String),
    /// A list, set or tuple.
    List(Vec<Value>),
    /// A map or object.
    Map(BTreeMap<String, Value>),
    /// A value of a `dynamic`-typed attribute, with the concrete type it travels with.
    Dynamic(Type, Box<Value>),
}

impl Value {
    pub const UNKNOWN: Value = Value::Unknown(None);

    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn int(i: i64) -> Value {
        Value::Number(Number::Int(i))
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    pub fn is_known(&self) -> bool {
        !self.is_unknown()
    }

    /// True when neither the value nor anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown(_) => false,
            Value::List(items) => items.iter().all(Value::is_wholly_known),
            Value::Map(m) => m.values().all(Value::is_wholly_known),
            Value::Dynamic(_, v) => v.is_wholly_known(),
            _ => true,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => Number::parse(s).and_then(Number::as_i64),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// An attribute of an object (or a map element); `Null` when absent or when this is not
    /// an object.
    pub fn get(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        match self {
            Value::Map(m) => m.get(key).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// The strings of a known list/set of strings (unknown or non-string elements skipped).
    pub fn strings(&self) -> Vec<String> {
        match self {
            Value::List(items) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A known map of strings as a `BTreeMap` (`None` unless wholly known).
    pub fn string_map(&self) -> Option<BTreeMap<String, String>> {
        match self {
            Value::Null => Some(BTreeMap::new()),
            Value::Map(m) => m
                .iter()
                .map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                .collect(),
            _ => None,
        }
    }

    /// True for a known, empty list, set or map.
    pub fn is_empty_collection(&self) -> bool {
        match self {
            Value::List(items) => items.is_empty(),
            Value::Map(m) => m.is_empty(),
            _ => false,
        }
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

/// Builds an object value from `(name, value)` pairs.
pub fn object<I, K>(pairs: I) -> Value
where
    I: IntoIterator<Item = (K, Value)>,
    K: Into<String>,
{
    Value::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(Number::Int(3), Number::Float(3.0));
        assert_ne!(Number::Int(3), Number::Float(3.5));
        assert_eq!(Number::parse("200"), Some(Number::Int(200)));
        assert_eq!(Number::Float(0.5).to_decimal(), "0.5");
        assert_eq!(Number::Float(30.0).to_decimal(), "30");
    }

    #[test]
    fn wholly_known_looks_inside() {
        let v = object([("a", Value::List(vec![Value::string("x"), Value::UNKNOWN]))]);
        assert!(!v.is_wholly_known());
        assert!(v.is_known());
        assert!(object([("a", Value::Null)]).is_wholly_known());
    }
}
