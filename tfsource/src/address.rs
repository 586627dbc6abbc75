//! Plan addresses (`module.svc["a"].aws_ecs_service.this[0]`) and attribute paths
//! (`network_configuration[0].subnets`) taken apart.

use std::fmt;

/// An instance key: `[0]` or `["a"]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Int(i64),
    Str(String),
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) => write!(f, "[{i}]"),
            Key::Str(s) => write!(f, "[{}]", serde_json::Value::String(s.clone())),
        }
    }
}

/// One `module.NAME[KEY]` step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleStep {
    pub name: String,
    pub key: Option<Key>,
}

/// A resource instance address taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub modules: Vec<ModuleStep>,
    /// `true` for `data.TYPE.NAME`.
    pub data: bool,
    pub rtype: String,
    pub name: String,
    pub key: Option<Key>,
}

impl Address {
    /// Parse `module.a["k"].module.b[0].data.aws_x.y["z"]`; `None` when malformed.
    pub fn parse(s: &str) -> Option<Address> {
        Address::parse_split(s).map(|(a, _)| a)
    }

    /// [`Address::parse`], also giving the length of the module instance path at the start
    /// of `s` (`&s[..len]` is [`Address::module_path`], 0 for the root), so a caller can look
    /// an instance up without building its path again.
    pub fn parse_split(s: &str) -> Option<(Address, usize)> {
        let mut modules = Vec::new();
        let b = Borrowed::scan(s, |name, key| {
            modules.push(ModuleStep {
                name: name.to_string(),
                key,
            })
        })?;
        let address = Address {
            modules,
            data: b.data,
            rtype: b.rtype.to_string(),
            name: b.name.to_string(),
            key: b.key,
        };
        Some((address, b.module_end))
    }

    /// `aws_x.y` or `data.aws_x.y`: the block's name in its module.
    pub fn block_name(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.rtype, self.name)
        } else {
            format!("{}.{}", self.rtype, self.name)
        }
    }

    /// `module.a["k"].module.b`: the module instance path (empty for the root).
    pub fn module_path(&self) -> String {
        module_path(&self.modules)
    }

    /// `a.b`: the module key as in `modules.json` (no instance keys).
    pub fn module_key(&self) -> String {
        module_key(&self.modules)
    }
}

/// An address read in place: its parts borrowed from the text, its module steps only
/// visited ([`Borrowed::scan`]), so that asking what an address names allocates nothing
/// (but a string instance key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Borrowed<'a> {
    /// Length of the module instance path at the start of the address (0 for the root).
    pub module_end: usize,
    pub data: bool,
    pub rtype: &'a str,
    pub name: &'a str,
    pub key: Option<Key>,
    /// `TYPE.NAME` (`data.TYPE.NAME`): the block's name in its module.
    pub block_name: &'a str,
}

impl<'a> Borrowed<'a> {
    /// Read `s` as [`Address::parse`] does, calling `module` with each module step's name
    /// and key; `None` when malformed.
    pub fn scan(s: &'a str, mut module: impl FnMut(&'a str, Option<Key>)) -> Option<Self> {
        let mut p = Cursor { s, i: 0 };
        let mut module_end = 0;
        loop {
            let start = p.i;
            let word = p.ident()?;
            if word == "module" {
                p.expect('.')?;
                let name = p.ident()?;
                let key = p.key()?;
                module_end = p.i;
                p.expect('.')?;
                module(name, key);
                continue;
            }
            let (data, rtype) = if word == "data" {
                p.expect('.')?;
                (true, p.ident()?)
            } else {
                (false, word)
            };
            p.expect('.')?;
            let name = p.ident()?;
            let block_name = &s[start..p.i];
            let key = p.key()?;
            if p.i != s.len() {
                return None;
            }
            return Some(Borrowed {
                module_end,
                data,
                rtype,
                name,
                key,
                block_name,
            });
        }
    }
}

/// `module.a["k"].module.b` from steps.
pub fn module_path(steps: &[ModuleStep]) -> String {
    use std::fmt::Write;
    // Room for the names and short keys: written in one allocation.
    let room = steps.iter().map(|m| m.name.len() + 16).sum();
    let mut out = String::with_capacity(room);
    for (i, m) in steps.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str("module.");
        out.push_str(&m.name);
        if let Some(k) = &m.key {
            let _ = write!(out, "{k}");
        }
    }
    out
}

/// `a.b` from steps.
pub fn module_key(steps: &[ModuleStep]) -> String {
    let mut out = String::with_capacity(steps.iter().map(|m| m.name.len() + 1).sum());
    for (i, m) in steps.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(&m.name);
    }
    out
}

/// Parse a module instance path (`module.a["k"].module.b`, or `""` for the root).
pub fn parse_module_path(s: &str) -> Option<Vec<ModuleStep>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    // Reuse the address parser with a dummy resource.
    Address::parse(&format!("{s}.x.y")).map(|a| a.modules)
}

/// One step of an attribute path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Name(String),
    Index(Key),
}

/// Parse `network_configuration[0].subnets` or `tags["Name"]`; `None` when malformed.
pub fn parse_attr_path(s: &str) -> Option<Vec<PathStep>> {
    let mut p = Cursor { s, i: 0 };
    let mut out = Vec::new();
    if s.is_empty() {
        return Some(out);
    }
    loop {
        out.push(PathStep::Name(p.ident()?.to_string()));
        while let Some(k) = p.key()? {
            out.push(PathStep::Index(k));
        }
        if p.i == s.len() {
            return Some(out);
        }
        p.expect('.')?;
    }
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

/// The ASCII bytes of a name: letters, digits, `_` and `-`.
pub(crate) static NAME_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        b += 1;
    }
    t
};

impl<'a> Cursor<'a> {
    /// An identifier, borrowed from the text (callers copy what they keep).
    fn ident(&mut self) -> Option<&'a str> {
        let s: &'a str = self.s;
        let rest = &s[self.i..];
        // ASCII names byte by byte (one table look-up each); a non-ASCII character is
        // judged as a `char`.
        let ascii = rest
            .bytes()
            .position(|b| !NAME_BYTE[b as usize])
            .unwrap_or(rest.len());
        let len = match rest.as_bytes().get(ascii) {
            Some(b) if !b.is_ascii() => rest[ascii..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .map_or(rest.len(), |n| ascii + n),
            _ => ascii,
        };
        if len == 0 {
            return None;
        }
        self.i += len;
        Some(&rest[..len])
    }

    fn expect(&mut self, c: char) -> Option<()> {
        if self.s[self.i..].starts_with(c) {
            self.i += c.len_utf8();
            Some(())
        } else {
            None
        }
    }

    /// An optional `[...]` key: `Some(None)` when there is none, `None` when malformed.
    fn key(&mut self) -> Option<Option<Key>> {
        if !self.s[self.i..].starts_with('[') {
            return Some(None);
        }
        self.i += 1;
        let rest = &self.s[self.i..];
        if rest.starts_with('"') {
            // A JSON string literal: find its end, honouring escapes.
            let bytes = rest.as_bytes();
            let mut j = 1;
            while j < bytes.len() {
                match bytes[j] {
                    b'\\' => j += 2,
                    b'"' => break,
                    _ => j += 1,
                }
            }
            if j >= bytes.len() {
                return None;
            }
            let key: String = serde_json::from_str(&rest[..=j]).ok()?;
            self.i += j + 1;
            self.expect(']')?;
            Some(Some(Key::Str(key)))
        } else if rest.starts_with('*') {
            self.i += 1;
            self.expect(']')?;
            Some(Some(Key::Str("*".to_string())))
        } else {
            let len = rest.find(']')?;
            let n: i64 = rest[..len].trim().parse().ok()?;
            self.i += len + 1;
            Some(Some(Key::Int(n)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_module_and_resource_keys() {
        let a =
            Address::parse(r#"module.svc["a\"b"].module.x[2].aws_ecs_service.this[0]"#).unwrap();
        assert_eq!(a.modules.len(), 2);
        assert_eq!(a.modules[0].key, Some(Key::Str("a\"b".into())));
        assert_eq!(a.modules[1].key, Some(Key::Int(2)));
        assert_eq!(a.block_name(), "aws_ecs_service.this");
        assert_eq!(a.key, Some(Key::Int(0)));
        assert_eq!(a.module_key(), "svc.x");
        assert_eq!(a.module_path(), r#"module.svc["a\"b"].module.x[2]"#);
        let text = r#"module.svc["a\"b"].module.x[2].aws_ecs_service.this[0]"#;
        let (b, end) = Address::parse_split(text).unwrap();
        assert_eq!((b, &text[..end]), (a.clone(), a.module_path().as_str()));
        assert_eq!(Address::parse_split("aws_x.y").unwrap().1, 0);
        let mut steps = Vec::new();
        let c = Borrowed::scan(text, |n, k| steps.push((n, k))).unwrap();
        assert_eq!(c.block_name, "aws_ecs_service.this");
        assert_eq!(
            (c.rtype, c.name, c.key, c.data),
            ("aws_ecs_service", "this", a.key.clone(), false)
        );
        assert_eq!(steps.len(), 2);
        let d = Borrowed::scan("module.m.data.aws_vpc.main[\"k\"]", |_, _| {}).unwrap();
        assert_eq!(
            (d.block_name, d.data, d.module_end),
            ("data.aws_vpc.main", true, 8)
        );
        let d = Address::parse("data.aws_vpc.main").unwrap();
        assert!(d.data);
        assert_eq!(d.block_name(), "data.aws_vpc.main");
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "aws_x",
            "module.a",
            "aws_x.y[",
            "aws_x.y[\"a]",
            "aws_x.y z",
            "module..x.y",
        ] {
            assert_eq!(Address::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn parses_attribute_paths() {
        let p = parse_attr_path(r#"network_configuration[0].subnets"#).unwrap();
        assert_eq!(
            p,
            vec![
                PathStep::Name("network_configuration".into()),
                PathStep::Index(Key::Int(0)),
                PathStep::Name("subnets".into())
            ]
        );
        assert_eq!(parse_attr_path("tags[\"Name\"]").unwrap().len(), 2);
        assert_eq!(parse_attr_path("a..b"), None);
    }
}
