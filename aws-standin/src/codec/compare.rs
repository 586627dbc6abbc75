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
