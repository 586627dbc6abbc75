//! Values to and from JSON: state JSON in `UpgradeResourceState`, defaults, world.json.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::types::Type;
use super::value::{Number, Value};

/// Reads JSON as a value of type `ty` (JSON has no unknowns). Object attributes the type
/// lacks are dropped; primitives are converted where cty would (numbers and bools to strings,
/// numeric strings to numbers).
pub fn from_json(j: &Json, ty: &Type) -> Result<Value, String> {
    Ok(match (ty, j) {
        (_, Json::Null) => Value::Null,
        (Type::Bool, Json::Bool(b)) => Value::Bool(*b),
        (Type::Bool, Json::String(s)) if s == "true" || s == "false" => Value::Bool(s == "true"),
        (Type::Number, Json::Number(n)) => Value::Number(json_number(n)),
        (Type::Number, Json::String(s)) => {
            Value::Number(Number::parse(s).ok_or_else(|| format!("{s:?} is not a number"))?)
        }
        (Type::String, Json::String(s)) => Value::String(s.clone()),
        (Type::String, Json::Number(n)) => Value::String(json_number(n).to_decimal()),
        (Type::String, Json::Bool(b)) => Value::String(b.to_string()),
        (Type::List(e) | Type::Set(e), Json::Array(items)) => Value::List(
            items
                .iter()
                .map(|i| from_json(i, e))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Tuple(ts), Json::Array(items)) if ts.len() == items.len() => Value::List(
            items
                .iter()
                .zip(ts)
                .map(|(i, t)| from_json(i, t))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Map(e), Json::Object(m)) => Value::Map(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), from_json(v, e)?)))
                .collect::<Result<_, String>>()?,
        ),
        (Type::Object(attrs), Json::Object(m)) => {
            let mut out = BTreeMap::new();
            for (k, t) in attrs {
                let v = match m.get(k) {
                    Some(j) => from_json(j, t).map_err(|e| format!("{k}: {e}"))?,
                    None => Value::Null,
                };
                out.insert(k.clone(), v);
            }
            Value::Map(out)
        }
        (Type::Dynamic, j) => {
            let v = untyped(j);
            Value::Dynamic(infer_type(&v), Box::new(v))
        }
        (ty, j) => return Err(format!("JSON {j} does not match type {}", ty.to_json())),
    })
}

fn json_number(n: &serde_json::Number) -> Number {
    match n.as_i64() {
        Some(i) => Number::Int(i),
        None => Number::Float(n.as_f64().unwrap_or(0.0)),
    }
}

/// Reads JSON without a type: arrays become lists, objects maps.
pub fn untyped(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(json_number(n)),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::List(items.iter().map(untyped).collect()),
        Json::Object(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), untyped(v))).collect()),
    }
}

/// The type a value's shape suggests (for `dynamic` attributes): lists become tuples and maps
/// objects, as Terraform's JSON decoding does.
pub fn infer_type(v: &Value) -> Type {
    match v {
        Value::Null | Value::Unknown(_) => Type::Dynamic,
        Value::Bool(_) => Type::Bool,
        Value::Number(_) => Type::Number,
        Value::String(_) => Type::String,
        Value::List(items) => Type::Tuple(items.iter().map(infer_type).collect()),
        Value::Map(m) => Type::Object(m.iter().map(|(k, v)| (k.clone(), infer_type(v))).collect()),
        Value::Dynamic(t, _) => t.clone(),
    }
}

/// Writes a value as JSON; unknowns become the string `"(unknown)"` (for messages and tests).
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Unknown(_) => Json::from("(unknown)"),
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(Number::Int(i)) => Json::from(*i),
        Value::Number(Number::Float(f)) => serde_json::Number::from_f64(*f)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
        Value::Dynamic(_, v) => to_json(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_reading_fills_and_converts() {
        let t = Type::from_json(
            &json!(["object", {"a": "string", "n": "number", "l": ["set", "string"]}]),
        )
        .unwrap();
        let v = from_json(&json!({"a": 5, "n": "42", "extra": true}), &t).unwrap();
        assert_eq!(v.get("a"), &Value::string("5"));
        assert_eq!(v.get("n"), &Value::int(42));
        assert_eq!(v.get("l"), &Value::Null);
        assert!(v.as_map().unwrap().get("extra").is_none());
        assert!(from_json(&json!({"n": "x"}), &t).is_err());
    }

    #[test]
    fn to_json_round_trips_known_values() {
        let j = json!({"a": [1, 2.5, "x", true, null], "m": {"k": "v"}});
        assert_eq!(to_json(&untyped(&j)), j);
    }
}
