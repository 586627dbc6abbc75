//! Value equality as cty sees it: sets compare without regard to order.

use super::msgpack;
use super::types::Type;
use super::value::Value;

/// True when `a` and `b` are the same value of type `ty`. An unknown equals nothing (not even
/// another unknown): a change to or from an unknown counts as a change.
pub fn equal(a: &Value, b: &Value, ty: &Type) -> bool {
    match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => false,
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        _ => match ty {
            Type::Set(e) => {
                let (Some(x), Some(y)) = (a.as_list(), b.as_list()) else {
                    return false;
                };
                let (Some(mut x), Some(mut y)) = (encoded_all(x, e), encoded_all(y, e)) else {
                    return false;
                };
                x.sort();
                x.dedup();
                y.sort();
                y.dedup();
                x == y
            }
            Type::List(e) => match (a.as_list(), b.as_list()) {
                (Some(x), Some(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q, e))
                }
                _ => false,
            },
            Type::Tuple(ts) => match (a.as_list(), b.as_list()) {
                (Some(x), Some(y)) => {
                    x.len() == ts.len()
                        && y.len() == ts.len()
                        && x.iter().zip(y).zip(ts).all(|((p, q), t)| equal(p, q, t))
                }
                _ => false,
            },
            Type::Map(e) => match (a.as_map(), b.as_map()) {
                (Some(x), Some(y)) => {
                    x.len() == y.len()
                        && x.iter()
                            .all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w, e)))
                }
                _ => false,
            },
            Type::Object(attrs) => attrs.iter().all(|(k, t)| equal(a.get(k), b.get(k), t)),
            _ => a == b,
        },
    }
}

/// `hcl2shim.ValuesSDKEquivalent` of terraform-plugin-sdk v2: equality as the legacy SDK's
/// diffing sees it, where null and the zero value of a type (`""`, 0, false, an empty
/// collection) are the same, two unknowns are the same, and set elements are matched with
/// any equivalent element of the other set. PlanResourceChange returns the prior state
/// itself when the planned state is equivalent to it.
pub fn sdk_equivalent(a: &Value, b: &Value, ty: &Type) -> bool {
    if a == b {
        return true;
    }
    if a.is_unknown() || b.is_unknown() {
        return a.is_unknown() == b.is_unknown();
    }
    let (za, zb) = (null_or_zero(a, ty), null_or_zero(b, ty));
    if za || zb {
        return za == zb;
    }
    match (ty, a, b) {
        (Type::Set(e), Value::List(x), Value::List(y)) => {
            x.len() == y.len()
                && x.iter().all(|p| y.iter().any(|q| sdk_equivalent(p, q, e)))
                && y.iter().all(|q| x.iter().any(|p| sdk_equivalent(p, q, e)))
        }
        (Type::List(e), Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| sdk_equivalent(p, q, e))
        }
        (Type::Tuple(ts), Value::List(x), Value::List(y)) => {
            x.len() == y.len()
                && x.len() == ts.len()
                && x.iter()
                    .zip(y)
                    .zip(ts)
                    .all(|((p, q), t)| sdk_equivalent(p, q, t))
        }
        (Type::Map(e), Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| sdk_equivalent(v, w, e)))
        }
        (Type::Object(attrs), Value::Map(_), Value::Map(_)) => attrs
            .iter()
            .all(|(k, t)| sdk_equivalent(a.get(k), b.get(k), t)),
        (Type::Number, Value::Number(x), Value::Number(y)) => x == y,
        _ => false,
    }
}

/// Null, or the Go zero value of the type (`valuesSDKEquivalentIsNullOrZero`).
fn null_or_zero(v: &Value, ty: &Type) -> bool {
    match (v, ty) {
        (Value::Null, _) => true,
        (Value::Unknown(_), _) => false,
        (_, Type::Object(attrs)) => attrs.is_empty(),
        (Value::List(items), _) => items.is_empty(),
        (Value::Map(m), _) => m.is_empty(),
        (Value::String(s), _) => s.is_empty(),
        (Value::Number(n), _) => n.as_f64() == 0.0,
        (Value::Bool(b), _) => !b,
        _ => false,
    }
}

/// Each element's encoding, or `None` when any element is (or holds) an unknown.
fn encoded_all(items: &[Value], ty: &Type) -> Option<Vec<Vec<u8>>> {
    items
        .iter()
        .map(|v| {
            if v.is_wholly_known() {
                msgpack::encode(v, ty).ok()
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::object;

    #[test]
    fn sets_ignore_order_lists_do_not() {
        let a = Value::List(vec![Value::string("x"), Value::string("y")]);
        let b = Value::List(vec![Value::string("y"), Value::string("x")]);
        assert!(equal(&a, &b, &Type::Set(Box::new(Type::String))));
        assert!(!equal(&a, &b, &Type::List(Box::new(Type::String))));
    }

    #[test]
    fn sdk_equivalence_takes_null_for_zero() {
        let s = Type::String;
        assert!(sdk_equivalent(&Value::Null, &Value::string(""), &s));
        assert!(!sdk_equivalent(&Value::Null, &Value::string("a"), &s));
        assert!(sdk_equivalent(&Value::UNKNOWN, &Value::UNKNOWN, &s));
        assert!(!sdk_equivalent(&Value::UNKNOWN, &Value::string(""), &s));
        let t = Type::Object(
            [
                ("a".to_owned(), Type::Number),
                ("b".to_owned(), Type::String),
            ]
            .into_iter()
            .collect(),
        );
        let set = Type::Set(Box::new(t.clone()));
        let planned = Value::List(vec![object([
            ("a", Value::Null),
            ("b", Value::string("x")),
        ])]);
        let stored = Value::List(vec![object([
            ("a", Value::int(0)),
            ("b", Value::string("x")),
        ])]);
        assert!(sdk_equivalent(&planned, &stored, &set));
        let other = Value::List(vec![object([
            ("a", Value::int(2)),
            ("b", Value::string("x")),
        ])]);
        assert!(!sdk_equivalent(&planned, &other, &set));
        assert!(sdk_equivalent(&Value::Null, &Value::List(vec![]), &set));
    }

    #[test]
    fn unknowns_and_nulls() {
        assert!(!equal(&Value::UNKNOWN, &Value::UNKNOWN, &Type::String));
        assert!(!equal(&Value::Null, &Value::string(""), &Type::String));
        let t = Type::Object([("a".to_owned(), Type::Number)].into_iter().collect());
        assert!(equal(
            &object([("a", Value::int(1))]),
            &object([("a", Value::int(1))]),
            &t
        ));
        assert!(equal(
            &object([("a", Value::Null)]),
            &object::<[(&str, Value); 0], &str>([]),
            &t
        ));
    }
}
