//! cty types, as Terraform writes them in schemas: JSON such as `"string"`,
//! `["list","string"]` or `["object",{"a":"number"}]`.

use std::collections::BTreeMap;

use serde_json::Value as Json;

/// A cty type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    Bool,
    Number,
    String,
    /// `"dynamic"`: the value carries its own type on the wire.
    Dynamic,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
}

impl Type {
    /// Parses the JSON form of a cty type.
    pub fn from_json(j: &Json) -> Result<Type, String> {
        match j {
            Json::String(s) => match s.as_str() {
                "bool" => Ok(Type::Bool),
                "number" => Ok(Type::Number),
                "string" => Ok(Type::String),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(format!("unknown primitive type {other:?}")),
            },
            Json::Array(parts) if parts.len() >= 2 => {
                let kind = parts[0].as_str().ok_or("type kind must be a string")?;
                match kind {
                    "list" => Ok(Type::List(Box::new(Type::from_json(&parts[1])?))),
                    "set" => Ok(Type::Set(Box::new(Type::from_json(&parts[1])?))),
                    "map" => Ok(Type::Map(Box::new(Type::from_json(&parts[1])?))),
                    "object" => {
                        let attrs = parts[1]
                            .as_object()
                            .ok_or("object attributes must be a map")?;
                        let mut out = BTreeMap::new();
                        for (k, v) in attrs {
                            out.insert(k.clone(), Type::from_json(v)?);
                        }
                        Ok(Type::Object(out))
                    }
                    "tuple" => {
                        let elems = parts[1].as_array().ok_or("tuple elements must be a list")?;
                        Ok(Type::Tuple(
                            elems
                                .iter()
                                .map(Type::from_json)
                                .collect::<Result<_, _>>()?,
                        ))
                    }
                    other => Err(format!("unknown type kind {other:?}")),
                }
            }
            other => Err(format!("not a cty type: {other}")),
        }
    }

    /// The JSON form of this type (what `from_json` reads).
    pub fn to_json(&self) -> Json {
        match self {
            Type::Bool => Json::from("bool"),
            Type::Number => Json::from("number"),
            Type::String => Json::from("string"),
            Type::Dynamic => Json::from("dynamic"),
            Type::List(e) => Json::Array(vec![Json::from("list"), e.to_json()]),
            Type::Set(e) => Json::Array(vec![Json::from("set"), e.to_json()]),
            Type::Map(e) => Json::Array(vec![Json::from("map"), e.to_json()]),
            Type::Object(attrs) => {
                let m = attrs
                    .iter()
                    .map(|(k, t)| (k.clone(), t.to_json()))
                    .collect();
                Json::Array(vec![Json::from("object"), Json::Object(m)])
            }
            Type::Tuple(elems) => Json::Array(vec![
                Json::from("tuple"),
                Json::Array(elems.iter().map(Type::to_json).collect()),
            ]),
        }
    }

    /// The element type of a list, set or map.
    pub fn element(&self) -> Option<&Type> {
        match self {
            Type::List(e) | Type::Set(e) | Type::Map(e) => Some(e),
            _ => None,
        }
    }

    pub fn is_set(&self) -> bool {
        matches!(self, Type::Set(_))
    }

    pub fn is_collection(&self) -> bool {
        matches!(self, Type::List(_) | Type::Set(_) | Type::Map(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_nested_types() {
        let j: Json = serde_json::from_str(
            r#"["list",["object",{"a":"string","b":["set","number"],"c":["map","bool"],"d":["tuple",["string","dynamic"]]}]]"#,
        )
        .unwrap();
        let t = Type::from_json(&j).unwrap();
        assert_eq!(t.to_json(), j);
        let Type::List(inner) = &t else {
            panic!("not a list: {t:?}")
        };
        let Type::Object(attrs) = inner.as_ref() else {
            panic!("not an object")
        };
        assert_eq!(attrs["b"], Type::Set(Box::new(Type::Number)));
    }

    #[test]
    fn rejects_unknown_kinds() {
        assert!(Type::from_json(&Json::from("float")).is_err());
        assert!(Type::from_json(&serde_json::json!(["vector", "string"])).is_err());
    }
}
