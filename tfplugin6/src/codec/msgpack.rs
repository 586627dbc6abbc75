//! The msgpack encoding of cty values that tfplugin6 `DynamicValue.msgpack` carries.
//!
//! Facts used (hashicorp/go-cty `cty/msgpack`): objects are maps keyed by attribute name,
//! lists/sets/tuples are arrays, null is nil, an unknown value is extension type 0 (Terraform
//! writes a 1-byte payload), a refined unknown is extension type 12 whose payload is a msgpack
//! map of refinements, a `dynamic`-typed value is a 2-element array `[type JSON as bytes,
//! value]`, and numbers are integers, floats or (beyond float precision) decimal strings.
//! Written from those facts; no code copied.

use std::collections::BTreeMap;

use super::types::Type;
use super::value::{Number, Value};

/// Extension type of an unknown value.
pub const EXT_UNKNOWN: i8 = 0;
/// Extension type of a refined unknown value (Terraform ≥ 1.6).
pub const EXT_REFINED_UNKNOWN: i8 = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError(pub String);

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CodecError {}

fn err<T>(msg: impl Into<String>) -> Result<T, CodecError> {
    Err(CodecError(msg.into()))
}

/// Decodes `bytes` as a value of type `ty`.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    let mut r = Reader { buf: bytes, pos: 0 };
    let v = r.value(ty, "")?;
    if r.pos != bytes.len() {
        return err(format!(
            "{} trailing bytes after the value",
            bytes.len() - r.pos
        ));
    }
    Ok(v)
}

/// Encodes `v` as a value of type `ty`. Objects get every attribute of their type (absent
/// ones as null) and lose attributes the type lacks.
pub fn encode(v: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::with_capacity(256);
    write_value(&mut out, v, ty, "")?;
    Ok(out)
}

enum Head<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'a [u8]),
    Bin(&'a [u8]),
    Array(usize),
    Map(usize),
    Ext(i8, &'a [u8]),
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        if self.buf.len() - self.pos < n {
            return err("truncated msgpack");
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn be(&mut self, n: usize) -> Result<u64, CodecError> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    fn head(&mut self) -> Result<Head<'a>, CodecError> {
        let m = self.take(1)?[0];
        Ok(match m {
            0x00..=0x7f => Head::Int(i64::from(m)),
            0x80..=0x8f => Head::Map(usize::from(m & 0x0f)),
            0x90..=0x9f => Head::Array(usize::from(m & 0x0f)),
            0xa0..=0xbf => Head::Str(self.take(usize::from(m & 0x1f))?),
            0xc0 => Head::Nil,
            0xc2 => Head::Bool(false),
            0xc3 => Head::Bool(true),
            0xc4..=0xc6 => {
                let n = self.be(1 << (m - 0xc4))? as usize;
                Head::Bin(self.take(n)?)
            }
            0xc7..=0xc9 => {
                let n = self.be(1 << (m - 0xc7))? as usize;
                let t = self.take(1)?[0] as i8;
                Head::Ext(t, self.take(n)?)
            }
            0xca => Head::Float(f64::from(f32::from_bits(self.be(4)? as u32))),
            0xcb => Head::Float(f64::from_bits(self.be(8)?)),
            0xcc..=0xcf => Head::Uint(self.be(1 << (m - 0xcc))?),
            0xd0 => Head::Int(i64::from(self.be(1)? as u8 as i8)),
            0xd1 => Head::Int(i64::from(self.be(2)? as u16 as i16)),
            0xd2 => Head::Int(i64::from(self.be(4)? as u32 as i32)),
            0xd3 => Head::Int(self.be(8)? as i64),
            0xd4..=0xd8 => {
                let t = self.take(1)?[0] as i8;
                Head::Ext(t, self.take(1 << (m - 0xd4))?)
            }
            0xd9..=0xdb => {
                let n = self.be(1 << (m - 0xd9))? as usize;
                Head::Str(self.take(n)?)
            }
            0xdc | 0xdd => Head::Array(self.be(if m == 0xdc { 2 } else { 4 })? as usize),
            0xde | 0xdf => Head::Map(self.be(if m == 0xde { 2 } else { 4 })? as usize),
            0xe0..=0xff => Head::Int(i64::from(m as i8)),
            0xc1 => return err("invalid msgpack marker 0xc1"),
        })
    }

    fn skip(&mut self) -> Result<(), CodecError> {
        match self.head()? {
            Head::Array(n) => (0..n).try_for_each(|_| self.skip()),
            Head::Map(n) => (0..2 * n).try_for_each(|_| self.skip()),
            _ => Ok(()),
        }
    }

    fn key(&mut self, path: &str) -> Result<String, CodecError> {
        match self.head()? {
            Head::Str(s) => utf8(s, path),
            _ => err(format!("{path}: map key is not a string")),
        }
    }

    fn value(&mut self, ty: &Type, path: &str) -> Result<Value, CodecError> {
        let head = self.head()?;
        match head {
            Head::Nil => return Ok(Value::Null),
            Head::Ext(EXT_UNKNOWN, _) => return Ok(Value::Unknown(None)),
            Head::Ext(EXT_REFINED_UNKNOWN, payload) => {
                return Ok(Value::Unknown(Some(payload.to_vec())))
            }
            Head::Ext(t, _) => {
                return err(format!("{path}: unexpected msgpack extension type {t}"))
            }
            _ => {}
        }
        match (ty, head) {
            (Type::Bool, Head::Bool(b)) => Ok(Value::Bool(b)),
            (Type::Number, Head::Int(i)) => Ok(Value::Number(Number::Int(i))),
            (Type::Number, Head::Uint(u)) => Ok(Value::Number(match i64::try_from(u) {
                Ok(i) => Number::Int(i),
                Err(_) => Number::Float(u as f64),
            })),
            (Type::Number, Head::Float(f)) => Ok(Value::Number(Number::Float(f))),
            (Type::Number, Head::Str(s)) => Number::parse(&utf8(s, path)?)
                .map(Value::Number)
                .ok_or_else(|| CodecError(format!("{path}: bad number string"))),
            (Type::String, Head::Str(s)) => Ok(Value::String(utf8(s, path)?)),
            (Type::List(e) | Type::Set(e), Head::Array(n)) => (0..n)
                .map(|i| self.value(e, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()
                .map(Value::List),
            (Type::Tuple(ts), Head::Array(n)) if n == ts.len() => ts
                .iter()
                .enumerate()
                .map(|(i, t)| self.value(t, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()
                .map(Value::List),
            (Type::Map(e), Head::Map(n)) => {
                let mut m = BTreeMap::new();
                for _ in 0..n {
                    let k = self.key(path)?;
                    let v = self.value(e, &format!("{path}[{k:?}]"))?;
                    m.insert(k, v);
                }
                Ok(Value::Map(m))
            }
            (Type::Object(attrs), Head::Map(n)) => {
                let mut m = BTreeMap::new();
                for _ in 0..n {
                    let k = self.key(path)?;
                    match attrs.get(&k) {
                        Some(t) => {
                            let v = self.value(t, &join(path, &k))?;
                            m.insert(k, v);
                        }
                        None => self.skip()?,
                    }
                }
                Ok(Value::Map(m))
            }
            (Type::Dynamic, Head::Array(2)) => {
                let tj = match self.head()? {
                    Head::Str(b) | Head::Bin(b) => b,
                    _ => return err(format!("{path}: dynamic value without its type")),
                };
                let tj: serde_json::Value = serde_json::from_slice(tj)
                    .map_err(|e| CodecError(format!("{path}: bad dynamic type JSON: {e}")))?;
                let t = Type::from_json(&tj).map_err(CodecError)?;
                let v = self.value(&t, path)?;
                Ok(Value::Dynamic(t, Box::new(v)))
            }
            (ty, _) => err(format!(
                "{path}: msgpack value does not match type {}",
                ty.to_json()
            )),
        }
    }
}

fn utf8(b: &[u8], path: &str) -> Result<String, CodecError> {
    String::from_utf8(b.to_vec()).map_err(|_| CodecError(format!("{path}: string is not UTF-8")))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn write_len(
    out: &mut Vec<u8>,
    n: usize,
    fix: Option<(u8, usize)>,
    m8: Option<u8>,
    m16: u8,
    m32: u8,
) {
    if let Some((base, max)) = fix {
        if n <= max {
            out.push(base | n as u8);
            return;
        }
    }
    if let Some(m) = m8 {
        if n <= 0xff {
            out.extend_from_slice(&[m, n as u8]);
            return;
        }
    }
    if n <= 0xffff {
        out.push(m16);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(m32);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

pub(crate) fn write_str(out: &mut Vec<u8>, s: &str) {
    write_len(out, s.len(), Some((0xa0, 31)), Some(0xd9), 0xda, 0xdb);
    out.extend_from_slice(s.as_bytes());
}

fn write_bin(out: &mut Vec<u8>, b: &[u8]) {
    write_len(out, b.len(), None, Some(0xc4), 0xc5, 0xc6);
    out.extend_from_slice(b);
}

pub(crate) fn write_array_len(out: &mut Vec<u8>, n: usize) {
    write_len(out, n, Some((0x90, 15)), None, 0xdc, 0xdd);
}

pub(crate) fn write_map_len(out: &mut Vec<u8>, n: usize) {
    write_len(out, n, Some((0x80, 15)), None, 0xde, 0xdf);
}

pub(crate) fn write_int(out: &mut Vec<u8>, i: i64) {
    if (0..=0x7f).contains(&i) || (-32..0).contains(&i) {
        out.push(i as i8 as u8);
    } else if let Ok(v) = i8::try_from(i) {
        out.extend_from_slice(&[0xd0, v as u8]);
    } else if let Ok(v) = i16::try_from(i) {
        out.push(0xd1);
        out.extend_from_slice(&v.to_be_bytes());
    } else if let Ok(v) = i32::try_from(i) {
        out.push(0xd2);
        out.extend_from_slice(&v.to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&i.to_be_bytes());
    }
}

fn write_ext(out: &mut Vec<u8>, t: i8, data: &[u8]) {
    match data.len() {
        1 => out.push(0xd4),
        2 => out.push(0xd5),
        4 => out.push(0xd6),
        8 => out.push(0xd7),
        16 => out.push(0xd8),
        n => write_len(out, n, None, Some(0xc7), 0xc8, 0xc9),
    }
    out.push(t as u8);
    out.extend_from_slice(data);
}

fn write_number(out: &mut Vec<u8>, n: Number) {
    match n {
        Number::Int(i) => write_int(out, i),
        Number::Float(f) => match Number::Float(f).as_i64() {
            Some(i) => write_int(out, i),
            None => {
                out.push(0xcb);
                out.extend_from_slice(&f.to_bits().to_be_bytes());
            }
        },
    }
}

fn write_value(out: &mut Vec<u8>, v: &Value, ty: &Type, path: &str) -> Result<(), CodecError> {
    match v {
        Value::Null => {
            out.push(0xc0);
            return Ok(());
        }
        Value::Unknown(None) => {
            write_ext(out, EXT_UNKNOWN, &[0]);
            return Ok(());
        }
        Value::Unknown(Some(payload)) => {
            write_ext(out, EXT_REFINED_UNKNOWN, payload);
            return Ok(());
        }
        _ => {}
    }
    match (ty, v) {
        (Type::Bool, Value::Bool(b)) => out.push(if *b { 0xc3 } else { 0xc2 }),
        (Type::Bool, Value::String(s)) if s == "true" || s == "false" => {
            out.push(if s == "true" { 0xc3 } else { 0xc2 })
        }
        (Type::Number, Value::Number(n)) => write_number(out, *n),
        (Type::Number, Value::String(s)) => match Number::parse(s) {
            Some(n) => write_number(out, n),
            None => return err(format!("{path}: {s:?} is not a number")),
        },
        (Type::String, Value::String(s)) => write_str(out, s),
        (Type::String, Value::Number(n)) => write_str(out, &n.to_decimal()),
        (Type::String, Value::Bool(b)) => write_str(out, if *b { "true" } else { "false" }),
        (Type::List(e) | Type::Set(e), Value::List(items)) => {
            write_array_len(out, items.len());
            for (i, item) in items.iter().enumerate() {
                write_value(out, item, e, &format!("{path}[{i}]"))?;
            }
        }
        (Type::Tuple(ts), Value::List(items)) if ts.len() == items.len() => {
            write_array_len(out, items.len());
            for (i, (item, t)) in items.iter().zip(ts).enumerate() {
                write_value(out, item, t, &format!("{path}[{i}]"))?;
            }
        }
        (Type::Map(e), Value::Map(m)) => {
            write_map_len(out, m.len());
            for (k, item) in m {
                write_str(out, k);
                write_value(out, item, e, &format!("{path}[{k:?}]"))?;
            }
        }
        (Type::Object(attrs), Value::Map(m)) => {
            write_map_len(out, attrs.len());
            for (k, t) in attrs {
                write_str(out, k);
                write_value(out, m.get(k).unwrap_or(&Value::Null), t, &join(path, k))?;
            }
        }
        (Type::Dynamic, Value::Dynamic(t, inner)) => {
            write_array_len(out, 2);
            write_bin(out, t.to_json().to_string().as_bytes());
            write_value(out, inner, t, path)?;
        }
        (Type::Dynamic, other) => {
            // A value without a recorded type: give it the type its shape suggests.
            let t = super::json::infer_type(other);
            write_array_len(out, 2);
            write_bin(out, t.to_json().to_string().as_bytes());
            write_value(out, other, &t, path)?;
        }
        (ty, v) => return err(format!("{path}: cannot encode {v:?} as {}", ty.to_json())),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::value::object;

    fn ty(j: &str) -> Type {
        Type::from_json(&serde_json::from_str(j).unwrap()).unwrap()
    }

    #[test]
    fn unknown_is_extension_zero() {
        let bytes = encode(&Value::UNKNOWN, &Type::String).unwrap();
        assert_eq!(bytes, [0xd4, 0x00, 0x00]);
        assert_eq!(decode(&bytes, &Type::String).unwrap(), Value::UNKNOWN);
        // Any payload length is accepted for extension 0 (ext8 with an empty payload too).
        assert_eq!(
            decode(&[0xc7, 0x00, 0x00], &Type::Number).unwrap(),
            Value::UNKNOWN
        );
    }

    #[test]
    fn refined_unknowns_are_accepted_and_kept() {
        // Extension 12 with a payload map {1: false} (refinement "not null"), as Terraform
        // sends for e.g. an unknown string that is known not to be null.
        let bytes = [0xd6, 0x0c, 0x81, 0x01, 0xc2, 0xc0];
        let v = decode(&bytes[..5], &Type::String);
        assert!(v.is_err(), "a 4-byte fixext needs 4 payload bytes");
        let bytes = [0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2];
        let v = decode(&bytes, &Type::String).unwrap();
        assert_eq!(v, Value::Unknown(Some(vec![0x81, 0x01, 0xc2])));
        assert_eq!(encode(&v, &Type::String).unwrap(), bytes);
        // Refined unknowns inside collections too.
        let list = [0x92, 0xa1, b'a', 0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2];
        let v = decode(&list, &ty(r#"["list","string"]"#)).unwrap();
        assert_eq!(
            v.as_list().unwrap()[1],
            Value::Unknown(Some(vec![0x81, 0x01, 0xc2]))
        );
    }

    #[test]
    fn objects_carry_every_attribute_in_key_order() {
        let t = ty(r#"["object",{"b":"number","a":"string","c":["list","bool"]}]"#);
        let v = object([("b", Value::int(7))]);
        let bytes = encode(&v, &t).unwrap();
        assert_eq!(
            bytes,
            [0x83, 0xa1, b'a', 0xc0, 0xa1, b'b', 0x07, 0xa1, b'c', 0xc0],
            "a, b, c in order; absent ones nil"
        );
        let back = decode(&bytes, &t).unwrap();
        assert_eq!(back.get("b"), &Value::int(7));
        assert_eq!(back.get("a"), &Value::Null);
    }

    #[test]
    fn round_trips_every_kind() {
        let t = ty(
            r#"["object",{"s":"string","n":"number","f":"number","neg":"number","big":"number","b":"bool",
              "l":["list","string"],"set":["set","number"],"m":["map","string"],
              "nested":["list",["object",{"x":"string","u":"string"}]],"tup":["tuple",["string","bool"]],
              "dyn":"dynamic"}]"#,
        );
        let long = "x".repeat(300);
        let v = object([
            ("s", Value::string(long.clone())),
            ("n", Value::int(70000)),
            ("f", Value::Number(Number::Float(0.25))),
            ("neg", Value::int(-129)),
            ("big", Value::int(1 << 40)),
            ("b", Value::Bool(true)),
            ("l", Value::List(vec![Value::string("a"), Value::UNKNOWN])),
            ("set", Value::List(vec![Value::int(1), Value::int(2)])),
            ("m", object([("k", Value::string("v"))])),
            (
                "nested",
                Value::List(vec![object([
                    ("x", Value::string("y")),
                    ("u", Value::UNKNOWN),
                ])]),
            ),
            (
                "tup",
                Value::List(vec![Value::string("t"), Value::Bool(false)]),
            ),
            (
                "dyn",
                Value::Dynamic(Type::String, Box::new(Value::string("d"))),
            ),
        ]);
        let bytes = encode(&v, &t).unwrap();
        assert_eq!(decode(&bytes, &t).unwrap(), v);
    }

    #[test]
    fn numbers_arrive_in_any_msgpack_form() {
        assert_eq!(
            decode(&[0xcc, 200], &Type::Number).unwrap(),
            Value::int(200)
        );
        assert_eq!(decode(&[0xff], &Type::Number).unwrap(), Value::int(-1));
        let f = [0xcb, 0x3f, 0xd0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            decode(&f, &Type::Number).unwrap(),
            Value::Number(Number::Float(0.25))
        );
        let s = [0xa3, b'1', b'.', b'5'];
        assert_eq!(
            decode(&s, &Type::Number).unwrap(),
            Value::Number(Number::Float(1.5))
        );
        // A whole float is written as an integer, as cty does.
        assert_eq!(
            encode(&Value::Number(Number::Float(3.0)), &Type::Number).unwrap(),
            [3]
        );
    }

    #[test]
    fn defaults_given_as_other_primitives_are_converted() {
        assert_eq!(
            encode(&Value::string("300"), &Type::Number).unwrap(),
            encode(&Value::int(300), &Type::Number).unwrap()
        );
        assert_eq!(
            encode(&Value::int(300), &Type::String).unwrap(),
            [0xa3, b'3', b'0', b'0']
        );
        assert!(encode(&Value::string("x"), &Type::Number).is_err());
    }

    #[test]
    fn rejects_mismatches_and_garbage() {
        assert!(decode(&[0xa1, b'a'], &Type::Number).is_err());
        assert!(
            decode(&[0x92, 0x01], &ty(r#"["list","number"]"#)).is_err(),
            "truncated"
        );
        assert!(
            decode(&[0x01, 0x02], &Type::Number).is_err(),
            "trailing bytes"
        );
        assert!(
            decode(&[0xd4, 0x05, 0x00], &Type::Number).is_err(),
            "unknown extension"
        );
    }

    #[test]
    fn skips_attributes_the_type_lacks() {
        let t = ty(r#"["object",{"a":"string"}]"#);
        let bytes = [
            0x82, 0xa1, b'z', 0x92, 0x01, 0x81, 0xa1, b'q', 0xc0, 0xa1, b'a', 0xa1, b'v',
        ];
        assert_eq!(
            decode(&bytes, &t).unwrap(),
            object([("a", Value::string("v"))])
        );
    }
}
