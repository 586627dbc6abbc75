//! A JSON object kept as text and parsed member by member on first access.
//!
//! ecsnet reads a dozen attributes of a service or task definition out of forty or more,
//! and never reads `tags_all`, policies and the like. Parsing every kept resource into a
//! `serde_json::Value` tree cost more time and memory than reading the rest of a large
//! plan, so the `after` object of each kept resource is stored as its JSON text with the
//! span of each member, and a member becomes a `Value` only when asked for (once; the
//! result is cached).

use std::fmt;
use std::sync::OnceLock;

use serde_json::Value;

/// Deeper than this (counting from the object itself) is refused when the text is taken
/// in, so that parsing a member later can never hit serde_json's recursion limit (128).
pub(crate) const MAX_DEPTH: usize = 120;

pub(crate) struct LazyObject {
    text: Box<str>,
    members: Vec<Member>,
    whole: OnceLock<Value>,
}

struct Member {
    /// Span of the key in `text` (without quotes) when it has no escapes, else the key.
    key: Key,
    start: usize,
    end: usize,
    value: OnceLock<Value>,
}

enum Key {
    Span(usize, usize),
    Owned(Box<str>),
}

impl fmt::Debug for LazyObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyObject")
            .field("members", &self.members.len())
            .finish()
    }
}

impl Clone for LazyObject {
    fn clone(&self) -> Self {
        LazyObject {
            text: self.text.clone(),
            members: self
                .members
                .iter()
                .map(|m| Member {
                    key: match &m.key {
                        Key::Span(a, b) => Key::Span(*a, *b),
                        Key::Owned(k) => Key::Owned(k.clone()),
                    },
                    start: m.start,
                    end: m.end,
                    value: m.value.clone(),
                })
                .collect(),
            whole: self.whole.clone(),
        }
    }
}

/// Whether JSON text nests deeper than `limit` arrays/objects.
pub(crate) fn nests_deeper_than(text: &str, limit: usize) -> bool {
    let b = text.as_bytes();
    // Fast path (a simple count, which vectorises): nesting needs one bracket per level.
    if b.iter().filter(|&&c| c == b'[' || c == b'{').count() <= limit {
        return false;
    }
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

impl LazyObject {
    /// Take in the text of a JSON object. `None` when it is not an object (the caller parses
    /// it eagerly then). The text must be valid JSON no deeper than [`MAX_DEPTH`].
    pub(crate) fn new(raw: &str) -> Option<LazyObject> {
        if !raw.trim_start().starts_with('{') {
            return None;
        }
        let text: Box<str> = raw.into();
        // The document's own scanner finds the spans (a name with an escape is unescaped
        // as serde_json does, which also refuses what it would refuse).
        let members = super::document::object_members(&text)?
            .into_iter()
            .map(|m| {
                let key = if m.escaped {
                    let lit = &text[m.name.0 - 1..m.name.1 + 1];
                    Key::Owned(serde_json::from_str::<String>(lit).ok()?.into())
                } else {
                    Key::Span(m.name.0, m.name.1)
                };
                Some(Member {
                    key,
                    start: m.value.0,
                    end: m.value.1,
                    value: OnceLock::new(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(LazyObject {
            text,
            members,
            whole: OnceLock::new(),
        })
    }

    fn key<'s>(&'s self, m: &'s Member) -> &'s str {
        match &m.key {
            Key::Span(a, b) => &self.text[*a..*b],
            Key::Owned(k) => k,
        }
    }

    /// The member named `key`, parsed on first access.
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        // From the end: a later duplicate key wins, as in serde_json's own maps.
        let m = self.members.iter().rev().find(|m| self.key(m) == key)?;
        Some(m.value.get_or_init(|| {
            // Valid, depth-checked JSON (see `new`): parsing cannot fail.
            serde_json::from_str(&self.text[m.start..m.end]).unwrap_or(Value::Null)
        }))
    }

    pub(crate) fn keys(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self.members.iter().map(|m| self.key(m)).collect();
        k.sort_unstable();
        k.dedup();
        k
    }

    /// The whole object (parsed once, for callers that want the tree itself).
    pub(crate) fn whole(&self) -> &Value {
        self.whole
            .get_or_init(|| serde_json::from_str(&self.text).unwrap_or(Value::Null))
    }

    /// Members whose JSON text contains `needle` (a cheap pre-filter before parsing).
    pub(crate) fn members_containing<'s>(
        &'s self,
        needle: &'s str,
    ) -> impl Iterator<Item = &'s str> + 's {
        self.members
            .iter()
            .filter(move |m| self.text[m.start..m.end].contains(needle))
            .map(|m| self.key(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_parse_on_demand() {
        let o = LazyObject::new(r#"{"a": {"x": [1, 2]}, "b\"q": "s", "c": null}"#).unwrap();
        assert_eq!(o.keys(), vec!["a", "b\"q", "c"]);
        assert_eq!(o.get("a").unwrap()["x"][1], 2);
        assert_eq!(o.get("b\"q").unwrap(), "s");
        assert_eq!(o.get("c"), Some(&Value::Null));
        assert_eq!(o.get("d"), None);
        assert_eq!(o.whole()["a"]["x"][0], 1);
        assert_eq!(o.members_containing("[1").collect::<Vec<_>>(), vec!["a"]);
        assert!(LazyObject::new("[1]").is_none());
        assert!(LazyObject::new("null").is_none());
    }

    #[test]
    fn members_are_those_serde_json_reads() {
        let texts = [
            r#"{}"#,
            r#" { "a" : 1 , "b":[true,{"c":"}"}] } "#,
            r#"{"dup": 1, "x": "\u00e9\n", "dup": 2}"#,
            r#"{"k\u00e9y": {"n": -1.5e3}, "t\tab": null}"#,
        ];
        for t in texts {
            let o = LazyObject::new(t).unwrap();
            let map: serde_json::Map<String, Value> = serde_json::from_str(t).unwrap();
            let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(o.keys(), keys, "{t}");
            for (k, v) in &map {
                assert_eq!(o.get(k), Some(v), "{t}: {k}");
            }
        }
        // A name serde_json refuses to read (a lone surrogate) makes no object.
        assert!(LazyObject::new(r#"{"\ud800": 1}"#).is_none());
        assert!(LazyObject::new(r#"{"a" 1}"#).is_none());
    }

    #[test]
    fn depth_scan_ignores_brackets_in_strings() {
        assert!(!nests_deeper_than(
            r#"{"a": "[[[[[[[[[[", "b": "\"[[["}"#,
            2
        ));
        assert!(nests_deeper_than("[[[1]]]", 2));
        assert!(!nests_deeper_than("[[1],[2]]", 2));
    }
}
