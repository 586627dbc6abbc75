//! A JSON object kept as text and parsed member by member on first access.
//!
//! ecsnet reads a dozen attributes of a service or task definition out of forty or more,
//! and never reads `tags_all`, policies and the like. Parsing every kept resource into a
//! `serde_json::Value` tree cost more time and memory than reading the rest of a large
//! plan, so the `after` object of each kept resource is stored as its JSON text with the
//! span of each member, and a member becomes a `Value` only when asked for (once; the
//! result is cached).

use std::fmt;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

/// Deeper than this (counting from the object itself) is refused when the text is taken
/// in, so that parsing a member later can never hit serde_json's recursion limit (128).
pub(crate) const MAX_DEPTH: usize = 120;

/// Text shared by the objects whose text lies in it (see `document::copy_kept_texts`).
pub(crate) type SharedText = Arc<String>;

/// The text of a [`LazyObject`]: its own copy, or a part of a text shared with others.
#[derive(Clone)]
enum Text {
    Owned(Box<str>),
    Shared {
        whole: SharedText,
        start: usize,
        end: usize,
    },
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Owned(t) => t,
            Text::Shared { whole, start, end } => &whole[*start..*end],
        }
    }
}

impl Text {
    /// `raw` as a part of `whole` when it lies in it, else a copy.
    fn of(raw: &str, whole: Option<&SharedText>) -> Text {
        if let Some(whole) = whole {
            let (base, at) = (whole.as_ptr() as usize, raw.as_ptr() as usize);
            if at >= base && at + raw.len() <= base + whole.len() {
                return Text::Shared {
                    whole: Arc::clone(whole),
                    start: at - base,
                    end: at - base + raw.len(),
                };
            }
        }
        Text::Owned(raw.into())
    }
}

pub(crate) struct LazyObject {
    text: Text,
    members: Vec<Member>,
    /// The names of members whose name holds an escape, unescaped, of those too long for
    /// [`Member::name_len`] (see [`Member`]), and of those put in ([`LazyObject::set`]).
    escaped_names: Vec<Box<str>>,
    whole: OnceLock<Value>,
    /// Whether members were replaced, added or removed ([`LazyObject::set`]): the text is
    /// then no longer the object's.
    patched: bool,
}

/// One member: where its name and value lie in the text (offsets fit 32 bits: a longer
/// object is parsed at once instead, see [`LazyObject::new`]), and its value once parsed.
/// A kept resource has dozens of members and a large plan thousands of kept resources, so
/// this is kept small (56 bytes, where offsets of 64 bits and an owned-or-span name enum
/// took 80).
struct Member {
    /// Where the name starts in `text` (after its quote); for a name in `escaped_names`
    /// (`name_len` is [`ESCAPED`]), its index there.
    name_start: u32,
    /// The name's length in bytes, or [`ESCAPED`].
    name_len: u16,
    /// The name's first and last bytes (0 for an empty name): with the length, they tell
    /// most names apart without reading the text (a search through the members of an
    /// object read for the first time waited on memory for each name's text).
    first: u8,
    last: u8,
    start: u32,
    end: u32,
    value: OnceLock<Value>,
}

thread_local! {
    /// The members of the object being taken in (see [`LazyObject::new`]).
    static SCRATCH: std::cell::RefCell<Vec<Member>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// See [`Member::name_len`].
const ESCAPED: u16 = u16::MAX;

/// The name tag of [`Member`]: first and last bytes.
fn ends(name: &[u8]) -> (u8, u8) {
    (
        name.first().copied().unwrap_or(0),
        name.last().copied().unwrap_or(0),
    )
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
                    value: m.value.clone(),
                    ..*m
                })
                .collect(),
            escaped_names: self.escaped_names.clone(),
            whole: self.whole.clone(),
            patched: self.patched,
        }
    }
}

/// Whether JSON text nests deeper than `limit` arrays/objects.
pub(crate) fn nests_deeper_than(text: &str, limit: usize) -> bool {
    let b = text.as_bytes();
    // Fast path (a simple count): nesting needs one bracket per level. Counted in bytes,
    // 255 at a time, which the compiler turns into 16 bytes a step; counting straight into
    // a `usize` widened every byte first and ran several times slower (it showed in
    // profiles, on the 10 MB of kept values of the 100 MB benchmark plan).
    let openers: usize = b
        .chunks(255)
        .map(|chunk| {
            let n: u8 = chunk
                .iter()
                .fold(0u8, |n, &c| n + u8::from(c == b'[' || c == b'{'));
            usize::from(n)
        })
        .sum();
    if openers <= limit {
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

/// The value of a member's text. A string is decoded here in one pass into a string of its
/// final size: `container_definitions` is JSON text held in a string, an escaped quote every
/// few bytes, and serde_json grew its buffer for it step by step (on fresh pages each time),
/// then copied it out; that was a third of reading a task definition.
fn parse(text: &str) -> Value {
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        let mut s = String::with_capacity(inner.len());
        if super::document::unescape_simple(inner, &mut s) {
            return Value::String(s);
        }
    }
    // Valid, depth-checked JSON (see `LazyObject::new`): parsing cannot fail.
    serde_json::from_str(text).unwrap_or(Value::Null)
}

impl LazyObject {
    /// Take in the text of a JSON object. `None` when it is not an object (the caller parses
    /// it eagerly then), or when it is too long for the offsets kept. The text must be
    /// valid JSON no deeper than [`MAX_DEPTH`].
    #[cfg(test)]
    pub(crate) fn new(raw: &str) -> Option<LazyObject> {
        LazyObject::new_in(raw, None)
    }

    /// [`LazyObject::new`], `raw` kept as a part of `whole` when it lies in it.
    pub(crate) fn new_in(raw: &str, whole: Option<&SharedText>) -> Option<LazyObject> {
        if !raw.trim_start().starts_with('{') || raw.len() >= u32::MAX as usize {
            return None;
        }
        let mut escaped_names: Vec<Box<str>> = Vec::new();
        let members = SCRATCH.with_borrow_mut(|members| {
            members.clear();
            Self::spans(raw, members, &mut escaped_names)?;
            // Moved to a vector of their exact size: one allocation, where growing one
            // member at a time took five and copied each time (1.5% of a check's CPU time,
            // with the page faults of the copies).
            let mut exact = Vec::with_capacity(members.len());
            exact.append(members);
            Some(exact)
        })?;
        Some(LazyObject {
            text: Text::of(raw, whole),
            members,
            escaped_names,
            whole: OnceLock::new(),
            patched: false,
        })
    }

    /// The members of `text` (the spans of their names and values) into `members`, names
    /// with an escape (unescaped) or too long for a [`Member`] into `escaped_names`.
    fn spans(
        text: &str,
        members: &mut Vec<Member>,
        escaped_names: &mut Vec<Box<str>>,
    ) -> Option<()> {
        // The document's own scanner finds the spans (a name with an escape is unescaped
        // as serde_json does, which also refuses what it would refuse).
        super::document::object_members(text, |m| {
            let len = m.name.1 - m.name.0;
            let (name_start, name_len, (first, last)) = if m.escaped || len >= ESCAPED as usize {
                let name: Box<str> = if m.escaped {
                    let lit = &text[m.name.0 - 1..m.name.1 + 1];
                    serde_json::from_str::<String>(lit).ok()?.into()
                } else {
                    text[m.name.0..m.name.1].into()
                };
                escaped_names.push(name);
                ((escaped_names.len() - 1) as u32, ESCAPED, (0, 0))
            } else {
                let name = &text.as_bytes()[m.name.0..m.name.1];
                (m.name.0 as u32, len as u16, ends(name))
            };
            members.push(Member {
                name_start,
                name_len,
                first,
                last,
                start: m.value.0 as u32,
                end: m.value.1 as u32,
                value: OnceLock::new(),
            });
            Some(())
        })
    }

    fn key<'s>(&'s self, m: &'s Member) -> &'s str {
        if m.name_len == ESCAPED {
            &self.escaped_names[m.name_start as usize]
        } else {
            let start = m.name_start as usize;
            &self.text[start..start + usize::from(m.name_len)]
        }
    }

    /// The text of a member's value.
    fn value_text(&self, m: &Member) -> &str {
        &self.text[m.start as usize..m.end as usize]
    }

    /// The member named `key` given to `f` without keeping it: parsed for `f` alone unless
    /// it was parsed before. For members read once whose tree is large (container
    /// definitions, network and load balancer blocks): kept, they cost memory (and, being
    /// written once, a fresh page of the heap each few kilobytes) for no later use.
    pub(crate) fn with_member<R>(&self, key: &str, f: impl FnOnce(Option<&Value>) -> R) -> R {
        let Some(m) = self.find(key) else {
            return f(None);
        };
        if let Some(v) = m.value.get() {
            return f(Some(v));
        }
        let v = parse(self.value_text(m));
        f(Some(&v))
    }

    /// The member named `key`, parsed on first access.
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        let m = self.find(key)?;
        Some(m.value.get_or_init(|| parse(self.value_text(m))))
    }

    /// The member named `key`.
    fn find(&self, key: &str) -> Option<&Member> {
        self.position(key).map(|i| &self.members[i])
    }

    /// Where the member named `key` is in `members`.
    fn position(&self, key: &str) -> Option<usize> {
        // From the end: a later duplicate key wins, as in serde_json's own maps.
        self.position_before(key, self.members.len())
    }

    /// Where the last member named `key` before `end` is in `members`. Every attribute the
    /// model reads is a search here, over dozens of members: names are told apart by length
    /// and end bytes, and only a likely match is compared as bytes (a `&str` slice of the
    /// text checked char boundaries, and a comparison called memcmp, for every member).
    fn position_before(&self, key: &str, end: usize) -> Option<usize> {
        let k = key.as_bytes();
        let (first, last) = ends(k);
        let text = self.text.as_bytes();
        self.members[..end].iter().rposition(|m| {
            if m.name_len == ESCAPED {
                return self.escaped_names[m.name_start as usize].as_bytes() == k;
            }
            let start = m.name_start as usize;
            usize::from(m.name_len) == k.len()
                && m.first == first
                && m.last == last
                && &text[start..start + k.len()] == k
        })
    }

    pub(crate) fn keys(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self.members.iter().map(|m| self.key(m)).collect();
        k.sort_unstable();
        k.dedup();
        k
    }

    /// The whole object (parsed once, for callers that want the tree itself).
    pub(crate) fn whole(&self) -> &Value {
        self.whole.get_or_init(|| match self.patched {
            false => serde_json::from_str(&self.text).unwrap_or(Value::Null),
            true => self.clone().into_value(),
        })
    }

    /// Whether members were replaced, added or removed ([`LazyObject::set`]).
    pub(crate) fn is_patched(&self) -> bool {
        self.patched
    }

    /// Replace the member `key` by `value` (`None`: remove it), in place: the other
    /// members stay text, unparsed (the source overlay changes a few attributes of a
    /// resource that has dozens). A member added has no text: its name is kept with the
    /// escaped ones and its value is parsed already.
    pub(crate) fn set(&mut self, key: &str, value: Option<Value>) {
        self.patched = true;
        self.whole = OnceLock::new();
        let Some(mut at) = self.position(key) else {
            if let Some(value) = value {
                self.escaped_names.push(key.into());
                self.members.push(Member {
                    name_start: (self.escaped_names.len() - 1) as u32,
                    name_len: ESCAPED,
                    first: 0,
                    last: 0,
                    start: 0,
                    end: 0,
                    value: OnceLock::from(value),
                });
            }
            return;
        };
        // A member replaced keeps its name where it lies in the text.
        match value {
            Some(value) => self.members[at].value = OnceLock::from(value),
            None => drop(self.members.remove(at)),
        }
        // Earlier members of that name go: the object has one.
        while let Some(i) = self.position_before(key, at) {
            self.members.remove(i);
            at -= 1;
        }
    }

    /// The whole object, taken out: members already parsed are moved into it rather than
    /// parsed again (the object is what [`LazyObject::whole`] gives: a later duplicate
    /// name wins).
    pub(crate) fn into_value(mut self) -> Value {
        if let Some(v) = self.whole.take() {
            return v;
        }
        let mut members = std::mem::take(&mut self.members);
        let mut map = serde_json::Map::new();
        for m in &mut members {
            let value = m.value.take().unwrap_or_else(|| {
                // Valid, depth-checked JSON (see `new`): parsing cannot fail.
                serde_json::from_str(self.value_text(m)).unwrap_or(Value::Null)
            });
            map.insert(self.key(m).to_string(), value);
        }
        Value::Object(map)
    }

    /// Members whose JSON text contains `needle` (a cheap pre-filter before parsing; not
    /// for an object [`LazyObject::is_patched`], whose text is no longer its own). One
    /// search over the whole text (a search per member cost more to set up than to run):
    /// a hit counts for the member whose value holds all of it.
    pub(crate) fn members_containing<'s>(
        &'s self,
        needle: &'s str,
    ) -> impl Iterator<Item = &'s str> + 's {
        let mut found: Vec<&Member> = Vec::new();
        // Members come in the order of the text, so their ends grow too: a cursor over
        // them follows the hits, which come in order.
        let mut members = self.members.iter().peekable();
        for at in memchr::memmem::find_iter(self.text.as_bytes(), needle.as_bytes()) {
            let end = at + needle.len();
            while members.next_if(|m| (m.end as usize) < end).is_some() {}
            let Some(m) = members.peek() else {
                break;
            };
            if m.start as usize <= at && found.last().is_none_or(|f| !std::ptr::eq(*f, *m)) {
                found.push(m);
            }
        }
        found.into_iter().map(move |m| self.key(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_stays_small() {
        assert!(std::mem::size_of::<Member>() <= 56);
    }

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
        // Hits in keys or between members count for none; a member with several hits once.
        let o = LazyObject::new(r#"{"ab": "xab", "c": ["ab", "ab"], "d": 1, "e": "b"}"#).unwrap();
        assert_eq!(
            o.members_containing("ab").collect::<Vec<_>>(),
            vec!["ab", "c"]
        );
        assert_eq!(
            o.members_containing("\", \"").collect::<Vec<_>>(),
            vec!["c"]
        );
        assert_eq!(o.members_containing("1, ").count(), 0);
        assert_eq!(
            o.members_containing("b\"").collect::<Vec<_>>(),
            vec!["ab", "c", "e"]
        );
        // Names of one length, sharing a first byte, and the empty name.
        let o = LazyObject::new(r#"{"": 0, "ab": 1, "ac": 2, "b": 3, "ab": 4}"#).unwrap();
        assert_eq!(o.get(""), Some(&Value::from(0)));
        assert_eq!(o.get("ac"), Some(&Value::from(2)));
        assert_eq!(o.get("ab"), Some(&Value::from(4)));
        assert_eq!(o.get("b"), Some(&Value::from(3)));
        assert_eq!(o.get("ad"), None);
        assert_eq!(o.get("abc"), None);
        // A name too long for the length kept in a member (and one exactly at the limit).
        for n in [65_534, 65_535, 70_000] {
            let long = "x".repeat(n);
            let text = format!(r#"{{"{long}": 1, "y{long}": 2, "{long}y": 3}}"#);
            let o = LazyObject::new(&text).unwrap();
            assert_eq!(o.get(&long), Some(&Value::from(1)), "{n}");
            assert_eq!(o.get(&format!("{long}y")), Some(&Value::from(3)), "{n}");
            assert_eq!(o.get(&format!("{long}x")), None, "{n}");
            assert_eq!(o.keys().len(), 3);
        }
        assert!(LazyObject::new("[1]").is_none());
        assert!(LazyObject::new("null").is_none());
    }

    #[test]
    fn taken_out_the_object_is_the_whole_one() {
        let text = r#"{"a": {"x": [1, 2]}, "b\"q": "s", "a": [3], "c": null}"#;
        let whole: Value = serde_json::from_str(text).unwrap();
        // Nothing parsed yet; a member parsed before (and moved); everything parsed.
        assert_eq!(LazyObject::new(text).unwrap().into_value(), whole);
        let o = LazyObject::new(text).unwrap();
        assert_eq!(o.get("b\"q").unwrap(), "s");
        assert_eq!(o.into_value(), whole);
        let o = LazyObject::new(text).unwrap();
        let _ = o.whole();
        assert_eq!(o.into_value(), whole);
        // A later duplicate wins, as in the whole object.
        assert_eq!(whole["a"], serde_json::json!([3]));
    }

    #[test]
    fn a_member_set_replaces_adds_or_removes_it_in_the_whole_object() {
        let text = r#"{"a": {"x": [1, 2]}, "b\"q": "s", "a": [3], "c": null, "d": 4}"#;
        let mut o = LazyObject::new(text).unwrap();
        let _ = o.whole();
        assert!(!o.is_patched());
        // Replaced (a duplicate name too), added, removed; the others stay text.
        o.set("a", Some(serde_json::json!({"y": true})));
        o.set("e", Some(Value::from("new")));
        o.set("c", None);
        o.set("absent", None);
        assert!(o.is_patched());
        let expected = serde_json::json!({"a": {"y": true}, "b\"q": "s", "d": 4, "e": "new"});
        assert_eq!(o.get("a"), Some(&serde_json::json!({"y": true})));
        assert_eq!(o.get("e"), Some(&Value::from("new")));
        assert_eq!(o.get("c"), None);
        assert_eq!(o.get("b\"q"), Some(&Value::from("s")));
        assert_eq!(o.with_member("e", |v| v.cloned()), Some(Value::from("new")));
        assert_eq!(o.keys(), vec!["a", "b\"q", "d", "e"]);
        assert_eq!(o.whole(), &expected);
        assert_eq!(o.clone().into_value(), expected);
        // Set again: the member put in is replaced.
        o.set("e", Some(Value::from(5)));
        assert_eq!(o.get("e"), Some(&Value::from(5)));
        assert_eq!(o.whole()["e"], Value::from(5));
    }

    #[test]
    fn a_member_read_once_is_the_member_and_is_not_kept() {
        let o = LazyObject::new(r#"{"a": {"x": [1, 2]}, "b": "s"}"#).unwrap();
        let got = o.with_member("a", |v| v.cloned());
        assert_eq!(got, Some(serde_json::json!({"x": [1, 2]})));
        assert!(o.find("a").unwrap().value.get().is_none());
        assert!(o.with_member("c", |v| v.is_none()));
        // One parsed before is lent as it is.
        let kept: *const Value = o.get("b").unwrap();
        assert!(o.with_member("b", |v| std::ptr::eq(v.unwrap(), kept)));
        // Through an attribute reference, with the unknown and sensitive marks of the member.
        let attrs = super::super::Attrs::from_text(
            r#"{"a": {"x": [1, 2]}, "b": "s"}"#,
            serde_json::json!({"a": {"y": true}}),
            serde_json::json!({"b": true}),
        );
        let root = attrs.root();
        root.with_member("a", |a| {
            assert_eq!(a.get("x").at(1).int().get(), Some(&2));
            assert!(a.get("y").is_unknown());
            assert!(!a.is_sensitive());
        });
        root.with_member("b", |b| {
            assert_eq!(b.string().get().map(String::as_str), Some("s"));
            assert!(b.is_sensitive());
        });
        assert!(root.with_member("z", |z| z.raw().is_null()));
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
    fn a_value_is_what_serde_json_reads() {
        let texts = [
            r#""""#,
            r#""plain""#,
            r#""[{\"name\":\"web\",\"portMappings\":[{\"containerPort\":80}]}]""#,
            r#""\"\\\/\b\f\n\r\t\\\"""#,
            r#""é \u00e9 \ud83d\ude00 \\u0041""#,
            r#""\\""#,
            r#""x\u0022""#,
            "\"caf\u{e9} \u{1F600}\"",
            r#"{"a": "\"b\""}"#,
            r#"["\n", 1]"#,
            "-1.5e3",
            "null",
        ];
        for t in texts {
            let want: Value = serde_json::from_str(t).unwrap();
            assert_eq!(parse(t), want, "{t}");
        }
    }

    #[test]
    fn depth_scan_ignores_brackets_in_strings() {
        assert!(!nests_deeper_than(
            r#"{"a": "[[[[[[[[[[", "b": "\"[[["}"#,
            2
        ));
        assert!(nests_deeper_than("[[[1]]]", 2));
        // Longer than one counting block, brackets everywhere.
        let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        assert!(nests_deeper_than(&deep, 299));
        assert!(!nests_deeper_than(&deep, 300));
        let wide = format!("[{}1]", "[1],".repeat(600));
        assert!(!nests_deeper_than(&wide, 2));
        assert!(nests_deeper_than(&wide, 1));
        assert!(!nests_deeper_than("[[1],[2]]", 2));
    }
}
