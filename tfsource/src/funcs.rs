//! Terraform's built-in functions, as far as ECS configurations use them. An unknown
//! argument gives an unknown result (keeping its references) unless the function can
//! answer without it (`length` of a list of unknowns, `jsonencode` keeping structure);
//! an unsupported function gives an unknown, never an error.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;

use crate::eval::{equal, Fail, R};
use crate::value::{not_null, number_string, unknown_of, Unknown, Value, NEVER_NULL_FUNCTIONS};

/// Largest file `file()`/`templatefile()` read.
const MAX_FILE_BYTES: u64 = 4 << 20;

/// What functions need from the evaluator.
pub(crate) struct Context<'a> {
    /// The root module directory: relative paths in `file()` are relative to it, as
    /// Terraform's are to the directory it runs in.
    pub root_dir: &'a Path,
    /// Evaluate template text with only these variables in scope (`templatefile`).
    pub template: &'a dyn Fn(&str, BTreeMap<String, Value>) -> R,
}

/// The functions the evaluator knows (others give unknown).
pub const SUPPORTED: &[&str] = &[
    "abs",
    "base64decode",
    "base64encode",
    "can",
    "ceil",
    "cidrhost",
    "cidrsubnet",
    "coalesce",
    "compact",
    "concat",
    "contains",
    "distinct",
    "element",
    "endswith",
    "file",
    "flatten",
    "floor",
    "format",
    "index",
    "join",
    "jsondecode",
    "jsonencode",
    "keys",
    "length",
    "log",
    "lookup",
    "lower",
    "max",
    "merge",
    "min",
    "pow",
    "range",
    "replace",
    "reverse",
    "signum",
    "slice",
    "sort",
    "split",
    "startswith",
    "substr",
    "sum",
    "templatefile",
    "tolist",
    "tomap",
    "tonumber",
    "toset",
    "tostring",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "try",
    "upper",
    "values",
    "zipmap",
];

pub(crate) fn call(name: &str, args: Vec<Value>, cx: &Context) -> R {
    // Functions that look inside partly unknown values.
    match name {
        "jsonencode" => return jsonencode(one(args)?),
        "length" => return length(&one(args)?),
        "concat" => return concat(args),
        "merge" => return merge(args),
        "coalesce" => return coalesce(args),
        "tolist" | "toset" | "tomap" => return convert(name, one(args)?),
        "element" | "lookup" | "keys" | "values" | "slice" | "flatten" | "compact" | "zipmap"
        | "jsondecode" => return structural(name, args),
        // Variables may be unknown: the template's structure can still be known.
        "templatefile" if args.first().is_some_and(Value::is_wholly_known) => {
            return templatefile(args, cx)
        }
        _ => {}
    }
    if args.iter().any(|a| !a.is_wholly_known()) {
        let u = unknown_of(&args);
        return Ok(match NEVER_NULL_FUNCTIONS.contains(&name) {
            true => not_null(u),
            false => u,
        });
    }
    match name {
        "tostring" => match one(args)? {
            Value::Null => Ok(Value::Null),
            // Already a string: itself, not a copy.
            v @ Value::String(_) => Ok(v),
            v => v.to_template_string().map(Value::String).ok_or(Fail),
        },
        "tonumber" => match one(args)? {
            Value::Null => Ok(Value::Null),
            v => v.as_f64().map(Value::Number).ok_or(Fail),
        },
        "lower" => str1(args, |s| Ok(Value::String(s.to_lowercase()))),
        "upper" => str1(args, |s| Ok(Value::String(s.to_uppercase()))),
        "trimspace" => str1(args, |s| Ok(Value::String(s.trim().to_string()))),
        "base64encode" => str1(args, |s| {
            Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(s),
            ))
        }),
        "base64decode" => str1(args, |s| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|_| Fail)?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| Fail)
        }),
        "join" => {
            let [sep, rest @ ..] = args.as_slice() else {
                return Err(Fail);
            };
            let sep = sep.as_str().ok_or(Fail)?;
            let mut parts = Vec::new();
            for l in rest {
                for v in l.as_list().ok_or(Fail)? {
                    parts.push(v.to_template_string().ok_or(Fail)?);
                }
            }
            Ok(Value::String(parts.join(sep)))
        }
        "split" => {
            let [sep, s] = args.as_slice() else {
                return Err(Fail);
            };
            let (sep, s) = (
                sep.as_str().ok_or(Fail)?,
                s.to_template_string().ok_or(Fail)?,
            );
            if s.is_empty() {
                return Ok(Value::List(Vec::new()));
            }
            Ok(Value::List(
                s.split(sep).map(|p| Value::String(p.to_string())).collect(),
            ))
        }
        "replace" => {
            let [s, from, to] = args.as_slice() else {
                return Err(Fail);
            };
            let (s, from, to) = (
                s.to_template_string().ok_or(Fail)?,
                from.as_str().ok_or(Fail)?,
                to.to_template_string().ok_or(Fail)?,
            );
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                return Ok(Value::unknown()); // regular expressions: not evaluated
            }
            Ok(Value::String(s.replace(from, &to)))
        }
        "format" => format(args),
        "contains" => {
            let [l, v] = args.as_slice() else {
                return Err(Fail);
            };
            Ok(Value::Bool(
                l.as_list().ok_or(Fail)?.iter().any(|x| equal(x, v)),
            ))
        }
        "distinct" => {
            let l = one(args)?;
            let mut out: Vec<Value> = Vec::new();
            for v in l.as_list().ok_or(Fail)? {
                if !out.iter().any(|o| equal(o, v)) {
                    out.push(v.clone());
                }
            }
            Ok(Value::List(out))
        }
        "min" | "max" => {
            let nums: Vec<f64> = args
                .iter()
                .map(|a| a.as_f64().ok_or(Fail))
                .collect::<Result<_, _>>()?;
            let first = *nums.first().ok_or(Fail)?;
            let r =
                nums.iter().copied().fold(
                    first,
                    |a, b| if name == "min" { a.min(b) } else { a.max(b) },
                );
            Ok(Value::Number(r))
        }
        "range" => range(&args),
        "ceil" | "floor" | "abs" | "signum" => {
            let x = one(args)?.as_f64().ok_or(Fail)?;
            Ok(Value::Number(match name {
                "ceil" => x.ceil(),
                "floor" => x.floor(),
                "abs" => x.abs(),
                _ => x.signum() * (x != 0.0) as i32 as f64,
            }))
        }
        "log" | "pow" => {
            let [a, b] = args.as_slice() else {
                return Err(Fail);
            };
            let (a, b) = (a.as_f64().ok_or(Fail)?, b.as_f64().ok_or(Fail)?);
            Ok(Value::Number(if name == "log" {
                a.log(b)
            } else {
                a.powf(b)
            }))
        }
        "sum" => {
            let l = one(args)?;
            let nums: Vec<f64> = l
                .as_list()
                .ok_or(Fail)?
                .iter()
                .map(|v| v.as_f64().ok_or(Fail))
                .collect::<Result<_, _>>()?;
            Ok(Value::Number(nums.iter().sum()))
        }
        "sort" => {
            let l = one(args)?;
            let mut items: Vec<String> = l
                .as_list()
                .ok_or(Fail)?
                .iter()
                .map(|v| v.to_template_string().ok_or(Fail))
                .collect::<Result<_, _>>()?;
            items.sort();
            Ok(Value::List(items.into_iter().map(Value::String).collect()))
        }
        "reverse" => {
            let mut l = one(args)?.as_list().ok_or(Fail)?.to_vec();
            l.reverse();
            Ok(Value::List(l))
        }
        "startswith" | "endswith" | "trimprefix" | "trimsuffix" => {
            let [a, b] = args.as_slice() else {
                return Err(Fail);
            };
            let (a, b) = (a.as_str().ok_or(Fail)?, b.as_str().ok_or(Fail)?);
            Ok(match name {
                "startswith" => Value::Bool(a.starts_with(b)),
                "endswith" => Value::Bool(a.ends_with(b)),
                "trimprefix" => Value::String(a.strip_prefix(b).unwrap_or(a).to_string()),
                _ => Value::String(a.strip_suffix(b).unwrap_or(a).to_string()),
            })
        }
        "index" => {
            let [l, v] = args.as_slice() else {
                return Err(Fail);
            };
            let l = l.as_list().ok_or(Fail)?;
            l.iter()
                .position(|x| equal(x, v))
                .map(|i| Value::Number(i as f64))
                .ok_or(Fail)
        }
        "substr" => {
            let [s, off, len] = args.as_slice() else {
                return Err(Fail);
            };
            let s: Vec<char> = s.to_template_string().ok_or(Fail)?.chars().collect();
            let (off, len) = (off.as_i64().ok_or(Fail)?, len.as_i64().ok_or(Fail)?);
            let start = if off < 0 {
                (s.len() as i64 + off).max(0)
            } else {
                off.min(s.len() as i64)
            } as usize;
            let end = if len < 0 {
                s.len()
            } else {
                (start + len as usize).min(s.len())
            };
            Ok(Value::String(s[start..end].iter().collect()))
        }
        "cidrsubnet" => {
            let [p, bits, num] = args.as_slice() else {
                return Err(Fail);
            };
            let (ip, len, v6) = parse_cidr(p.as_str().ok_or(Fail)?).ok_or(Fail)?;
            let (bits, num) = (bits.as_i64().ok_or(Fail)?, num.as_i64().ok_or(Fail)?);
            let total = if v6 { 128 } else { 32 };
            let new_len = len as i64 + bits;
            if bits < 0 || new_len > total || num < 0 || (bits < 64 && num >= 1i64 << bits) {
                return Err(Fail);
            }
            let host_bits = (total - new_len) as u32;
            let base = ip & !mask_low(total as u32 - len);
            let net = base | ((num as u128) << host_bits);
            Ok(Value::String(format!("{}/{new_len}", show_ip(net, v6))))
        }
        "cidrhost" => {
            let [p, num] = args.as_slice() else {
                return Err(Fail);
            };
            let (ip, len, v6) = parse_cidr(p.as_str().ok_or(Fail)?).ok_or(Fail)?;
            let total = if v6 { 128 } else { 32 };
            let host_bits = total - len;
            let size: u128 = if host_bits >= 128 {
                u128::MAX
            } else {
                1u128 << host_bits
            };
            let n = num.as_i64().ok_or(Fail)?;
            let off: u128 = if n >= 0 {
                n as u128
            } else {
                size.checked_sub(n.unsigned_abs() as u128).ok_or(Fail)?
            };
            if off >= size {
                return Err(Fail);
            }
            let base = ip & !mask_low(host_bits);
            Ok(Value::String(show_ip(base | off, v6)))
        }
        "file" => {
            let p = one(args)?;
            read_file(cx.root_dir, p.as_str().ok_or(Fail)?).map(Value::String)
        }
        "templatefile" => templatefile(args, cx),
        _ => Ok(Value::unknown()),
    }
}

fn templatefile(args: Vec<Value>, cx: &Context<'_>) -> R {
    let [p, vars] = args.as_slice() else {
        return Err(Fail);
    };
    let text = read_file(cx.root_dir, p.as_str().ok_or(Fail)?)?;
    let Some(vars) = vars.as_map() else {
        return Ok(unknown_of(&args));
    };
    Ok(match (cx.template)(&text, vars.clone())? {
        Value::Unknown(u) if u.json.is_none() => json_template(cx, &text, vars, u),
        other => other,
    })
}

/// Marks where an unknown template variable went, in [`json_template`].
const HOLE: &str = "@@ecsnet-unknown-";

/// A JSON template (`containers.json.tftpl`) rendered with unknown variables: render it
/// again with a marker string in place of each unknown variable; when that is JSON, keep
/// its structure (as `jsonencode` does) with the strings holding a marker unknown. A
/// marker outside a JSON string (`"hostPort": ${port}`) makes the text no JSON: then the
/// result stays a plain unknown.
fn json_template(
    cx: &Context<'_>,
    text: &str,
    vars: &BTreeMap<String, Value>,
    u: Unknown,
) -> Value {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('[') || trimmed.starts_with('{')) {
        return Value::Unknown(u);
    }
    let mut holes: Vec<Value> = Vec::new();
    let marked: BTreeMap<String, Value> = vars
        .iter()
        .map(|(k, v)| {
            if v.is_wholly_known() {
                (k.clone(), v.clone())
            } else {
                holes.push(v.clone());
                (
                    k.clone(),
                    Value::String(format!("{HOLE}{}@@", holes.len() - 1)),
                )
            }
        })
        .collect();
    let Ok(Value::String(rendered)) = (cx.template)(text, marked) else {
        return Value::Unknown(u);
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&rendered) else {
        return Value::Unknown(u);
    };
    let structure = fill_holes(Value::from_json(&json), &holes);
    Value::Unknown(Unknown {
        json: Some(Box::new(structure)),
        exact: false,
        ..u
    })
}

/// Strings holding a [`HOLE`] marker become the unknown of the variables they hold.
fn fill_holes(v: Value, holes: &[Value]) -> Value {
    match v {
        Value::String(s) if s.contains(HOLE) => {
            let used: Vec<&Value> = holes
                .iter()
                .enumerate()
                .filter(|(i, _)| s.contains(&format!("{HOLE}{i}@@")))
                .map(|(_, h)| h)
                .collect();
            unknown_of(used)
        }
        Value::List(items) => {
            Value::List(items.into_iter().map(|x| fill_holes(x, holes)).collect())
        }
        Value::Map(m) => Value::Map(
            m.into_iter()
                .map(|(k, x)| (k, fill_holes(x, holes)))
                .collect(),
        ),
        other => other,
    }
}

fn one(args: Vec<Value>) -> R {
    let mut it = args.into_iter();
    match (it.next(), it.next()) {
        (Some(v), None) => Ok(v),
        _ => Err(Fail),
    }
}

fn str1(args: Vec<Value>, f: impl FnOnce(&str) -> R) -> R {
    let v = one(args)?;
    f(&v.to_template_string().ok_or(Fail)?)
}

pub(crate) fn jsonencode(v: Value) -> R {
    // A value with an unknown part has no JSON text: it is not converted (and its strings
    // copied) only to find that out at the unknown part.
    let json = if v.is_wholly_known() {
        v.to_json()
    } else {
        None
    };
    match json {
        Some(j) => Ok(Value::String(j.to_string())),
        None => {
            let mut refs = Vec::new();
            let sensitive = v.collect_unknowns(&mut refs);
            Ok(Value::Unknown(Unknown {
                refs,
                sensitive,
                json: Some(Box::new(v)),
                exact: false,
                // jsonencode(null) is the string "null".
                not_null: true,
            }))
        }
    }
}

fn length(v: &Value) -> R {
    Ok(match v {
        Value::List(l) => Value::Number(l.len() as f64),
        Value::Map(m) => Value::Number(m.len() as f64),
        Value::String(s) => Value::Number(s.chars().count() as f64),
        Value::Unknown(_) => unknown_of([v]),
        _ => return Err(Fail),
    })
}

fn concat(args: Vec<Value>) -> R {
    let mut out = Vec::new();
    for a in &args {
        match a {
            Value::List(l) => out.extend(l.iter().cloned()),
            Value::Unknown(_) => return Ok(unknown_of(&args)),
            _ => return Err(Fail),
        }
    }
    Ok(Value::List(out))
}

fn merge(args: Vec<Value>) -> R {
    let mut out = BTreeMap::new();
    for a in &args {
        match a {
            Value::Map(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
            Value::Null => {}
            Value::Unknown(_) => return Ok(unknown_of(&args)),
            _ => return Err(Fail),
        }
    }
    Ok(Value::Map(out))
}

fn coalesce(args: Vec<Value>) -> R {
    for a in &args {
        match a {
            Value::Null => continue,
            Value::String(s) if s.is_empty() => continue,
            Value::Unknown(_) => return Ok(unknown_of(&args)),
            v => return Ok(v.clone()),
        }
    }
    Err(Fail)
}

fn convert(name: &str, v: Value) -> R {
    match (name, v) {
        (_, Value::Null) => Ok(Value::Null),
        (_, u @ Value::Unknown(_)) => Ok(u),
        ("tolist", Value::List(l)) => Ok(Value::List(l)),
        ("toset", Value::List(l)) => {
            let mut out: Vec<Value> = Vec::new();
            for v in l {
                if !out.iter().any(|o| equal(o, &v)) {
                    out.push(v);
                }
            }
            // Sets of strings iterate in lexical order.
            if out.iter().all(|v| matches!(v, Value::String(_))) {
                out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            }
            Ok(Value::List(out))
        }
        ("tomap", Value::Map(m)) => Ok(Value::Map(m)),
        _ => Err(Fail),
    }
}

fn structural(name: &str, args: Vec<Value>) -> R {
    match name {
        "element" => {
            let [l, i] = args.as_slice() else {
                return Err(Fail);
            };
            let (Value::List(l), Some(i)) = (l, i.as_i64()) else {
                return if l.is_unknown() || i.is_unknown() {
                    Ok(unknown_of([l, i]))
                } else {
                    Err(Fail)
                };
            };
            if l.is_empty() || i < 0 {
                return Err(Fail);
            }
            Ok(l[(i as usize) % l.len()].clone())
        }
        "lookup" => {
            let (m, k, default) = match args.as_slice() {
                [m, k] => (m, k, None),
                [m, k, d] => (m, k, Some(d)),
                _ => return Err(Fail),
            };
            let (Value::Map(m), Some(k)) = (m, k.to_template_string()) else {
                return if m.is_unknown() || k.is_unknown() {
                    Ok(unknown_of([m, k]))
                } else {
                    Err(Fail)
                };
            };
            m.get(&k).or(default).cloned().ok_or(Fail)
        }
        "keys" | "values" => {
            let m = one(args)?;
            match m {
                Value::Map(m) => Ok(Value::List(if name == "keys" {
                    m.into_keys().map(Value::String).collect()
                } else {
                    m.into_values().collect()
                })),
                u @ Value::Unknown(_) => Ok(unknown_of([&u])),
                _ => Err(Fail),
            }
        }
        "slice" => {
            let [l, a, b] = args.as_slice() else {
                return Err(Fail);
            };
            let (Value::List(l), Some(a), Some(b)) = (l, a.as_i64(), b.as_i64()) else {
                return if args.iter().any(Value::is_unknown) {
                    Ok(unknown_of(&args))
                } else {
                    Err(Fail)
                };
            };
            if a < 0 || b < a || b as usize > l.len() {
                return Err(Fail);
            }
            Ok(Value::List(l[a as usize..b as usize].to_vec()))
        }
        "flatten" => {
            let l = one(args)?;
            let mut out = Vec::new();
            if flatten_into(&l, &mut out)? {
                Ok(Value::List(out))
            } else {
                Ok(unknown_of([&l]))
            }
        }
        "compact" => {
            let l = one(args)?;
            let Value::List(items) = &l else {
                return if l.is_unknown() { Ok(l) } else { Err(Fail) };
            };
            if items.iter().any(Value::is_unknown) {
                return Ok(unknown_of([&l]));
            }
            Ok(Value::List(
                items
                    .iter()
                    .filter(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
                    .cloned()
                    .collect(),
            ))
        }
        "zipmap" => {
            let [k, v] = args.as_slice() else {
                return Err(Fail);
            };
            let (Value::List(k), Value::List(v)) = (k, v) else {
                return if k.is_unknown() || v.is_unknown() {
                    Ok(unknown_of([k, v]))
                } else {
                    Err(Fail)
                };
            };
            if k.len() != v.len() {
                return Err(Fail);
            }
            let mut out = BTreeMap::new();
            for (k, v) in k.iter().zip(v) {
                match k.to_template_string() {
                    Some(k) => {
                        out.insert(k, v.clone());
                    }
                    None if k.is_unknown() => return Ok(unknown_of([k])),
                    None => return Err(Fail),
                }
            }
            Ok(Value::Map(out))
        }
        "jsondecode" => match one(args)? {
            Value::String(s) => {
                let j: serde_json::Value = serde_json::from_str(&s).map_err(|_| Fail)?;
                Ok(Value::from_json(&j))
            }
            Value::Unknown(u) => Ok(match u.json {
                Some(j) => *j,
                None => Value::Unknown(u),
            }),
            _ => Err(Fail),
        },
        _ => Err(Fail),
    }
}

/// Flatten nested lists; false when an unknown is met (its length is unknown).
fn flatten_into(v: &Value, out: &mut Vec<Value>) -> Result<bool, Fail> {
    match v {
        Value::List(items) => {
            for i in items {
                match i {
                    Value::List(_) => {
                        if !flatten_into(i, out)? {
                            return Ok(false);
                        }
                    }
                    Value::Unknown(_) => return Ok(false),
                    other => out.push(other.clone()),
                }
            }
            Ok(true)
        }
        Value::Unknown(_) => Ok(false),
        _ => Err(Fail),
    }
}

fn range(args: &[Value]) -> R {
    let nums: Vec<f64> = args
        .iter()
        .map(|a| a.as_f64().ok_or(Fail))
        .collect::<Result<_, _>>()?;
    let (start, end, step) = match nums.as_slice() {
        [e] => (0.0, *e, 1.0),
        [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
        [s, e, st] => (*s, *e, *st),
        _ => return Err(Fail),
    };
    if step == 0.0 {
        return Err(Fail);
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
        out.push(Value::Number(x));
        x += step;
        if out.len() > 1024 {
            return Err(Fail); // Terraform's own limit
        }
    }
    Ok(Value::List(out))
}

/// `format` with the verbs configurations use: `%s %d %v %q %f %%` and widths/padding
/// for `%d`/`%s` (`%03d`, `%-10s`).
fn format(args: Vec<Value>) -> R {
    let [f, rest @ ..] = args.as_slice() else {
        return Err(Fail);
    };
    let f = f.as_str().ok_or(Fail)?;
    let mut out = String::new();
    let mut args = rest.iter();
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() || d == '-' || d == '.' || d == '+' || d == '#' || d == ' ' {
                spec.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let verb = chars.next().ok_or(Fail)?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let a = args.next().ok_or(Fail)?;
        let text = match verb {
            's' | 'v' => a.to_template_string().ok_or(Fail)?,
            'd' => number_string(a.as_f64().ok_or(Fail)?.trunc()),
            'f' => {
                let prec = spec
                    .split_once('.')
                    .and_then(|(_, p)| p.parse().ok())
                    .unwrap_or(6);
                format!("{:.*}", prec, a.as_f64().ok_or(Fail)?)
            }
            'q' => serde_json::Value::String(a.to_template_string().ok_or(Fail)?).to_string(),
            _ => return Ok(Value::unknown()),
        };
        let width: usize = spec
            .trim_start_matches(['-', '+', '#', ' '])
            .split('.')
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(0);
        let pad = width.saturating_sub(text.chars().count());
        if spec.starts_with('-') {
            out.push_str(&text);
            out.extend(std::iter::repeat_n(' ', pad));
        } else if spec.starts_with('0') && verb == 'd' {
            out.extend(std::iter::repeat_n('0', pad));
            out.push_str(&text);
        } else {
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(&text);
        }
    }
    Ok(Value::String(out))
}

fn read_file(root: &Path, p: &str) -> Result<String, Fail> {
    let path = root.join(p);
    let len = std::fs::metadata(&path).map_err(|_| Fail)?.len();
    if len > MAX_FILE_BYTES {
        return Err(Fail);
    }
    std::fs::read_to_string(path).map_err(|_| Fail)
}

/// Parse `10.0.0.0/16` or `fd00::/56` → (address as u128, prefix length, is IPv6).
fn parse_cidr(s: &str) -> Option<(u128, u32, bool)> {
    let (ip, len) = s.split_once('/')?;
    let len: u32 = len.parse().ok()?;
    match ip.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(v4) if len <= 32 => Some((u32::from(v4) as u128, len, false)),
        std::net::IpAddr::V6(v6) if len <= 128 => Some((u128::from(v6), len, true)),
        _ => None,
    }
}

/// The low `bits` bits set.
fn mask_low(bits: u32) -> u128 {
    if bits >= 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    }
}

fn show_ip(ip: u128, v6: bool) -> String {
    if v6 {
        std::net::Ipv6Addr::from(ip).to_string()
    } else {
        std::net::Ipv4Addr::from(ip as u32).to_string()
    }
}

/// Convert a variable's value to its declared `type` the way Terraform does where it
/// matters for evaluation: object attributes the value lacks become their `optional()`
/// default or null; numbers and strings convert to the declared primitive. Anything the
/// type does not describe is returned unchanged. `default_of(d, t)` is the default `d`
/// converted to `t`.
pub(crate) fn convert_to_type(
    v: Value,
    ty: &hcl::Expression,
    default_of: &dyn Fn(&hcl::Expression, &hcl::Expression) -> Value,
) -> Value {
    use hcl::Expression as E;
    match ty {
        E::Variable(t) => match (t.as_str(), &v) {
            ("string", Value::Number(_) | Value::Bool(_)) => {
                v.to_template_string().map(Value::String).unwrap_or(v)
            }
            ("number", Value::String(s)) => s.trim().parse().map(Value::Number).unwrap_or(v),
            ("bool", Value::String(_)) => v.as_bool().map(Value::Bool).unwrap_or(v),
            _ => v,
        },
        E::FuncCall(f) => {
            let name = f.name.name.as_str();
            let inner = f.args.first();
            match (name, v, inner) {
                ("optional", v, Some(t)) => convert_to_type(v, t, default_of),
                ("list" | "set", Value::List(items), Some(t)) => Value::List(
                    items
                        .into_iter()
                        .map(|x| convert_to_type(x, t, default_of))
                        .collect(),
                ),
                ("map", Value::Map(mut m), Some(t)) => {
                    // Converted where they are: the map is not built again.
                    for x in m.values_mut() {
                        let given = std::mem::replace(x, Value::Null);
                        *x = convert_to_type(given, t, default_of);
                    }
                    Value::Map(m)
                }
                ("tuple", Value::List(items), Some(E::Array(ts))) => Value::List(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, x)| match ts.get(i) {
                            Some(t) => convert_to_type(x, t, default_of),
                            None => x,
                        })
                        .collect(),
                ),
                ("object", Value::Map(mut m), Some(E::Object(attrs))) => {
                    for (k, t) in attrs.iter() {
                        let key = match k {
                            hcl::ObjectKey::Identifier(id) => id.as_str(),
                            hcl::ObjectKey::Expression(E::Variable(v)) => v.as_str(),
                            hcl::ObjectKey::Expression(E::String(s)) => s.as_str(),
                            _ => continue,
                        };
                        // An attribute given is converted where it is (its key is not made
                        // again); one missing or null takes its default.
                        match m.get_mut(key) {
                            Some(x) if !matches!(x, Value::Null) => {
                                let given = std::mem::replace(x, Value::Null);
                                *x = convert_to_type(given, t, default_of);
                            }
                            slot => {
                                let d = match t {
                                    E::FuncCall(f) if f.name.name.as_str() == "optional" => f
                                        .args
                                        .get(1)
                                        .map(|d| default_of(d, &f.args[0]))
                                        .unwrap_or(Value::Null),
                                    _ => Value::Null,
                                };
                                match slot {
                                    Some(x) => *x = d,
                                    None => {
                                        m.insert(key.to_string(), d);
                                    }
                                }
                            }
                        }
                    }
                    Value::Map(m)
                }
                (_, v, _) => v,
            }
        }
        _ => v,
    }
}
