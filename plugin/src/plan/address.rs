//! Terraform addresses and references as text: `module.app["blue"].aws_ecs_service.api[0]`,
//! `var.cluster.id`, `data.aws_subnet.all["a.b"]`. Keys may contain dots and brackets inside
//! quotes, so splitting on '.' is not enough.

use std::collections::BTreeSet;

use serde_json::Value;

/// One traversal step.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Step {
    /// `.name` (or the first identifier).
    Name(String),
    /// `[key]`: the raw text between the brackets (`0`, `"blue"`, `*`).
    Index(String),
}

/// Split into steps, with the byte offset where each step ends. `None` when malformed
/// (unbalanced brackets or quotes).
pub(crate) fn steps_with_end(s: &str) -> Option<Vec<(Step, usize)>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => i += 1,
            b'[' => {
                let start = i + 1;
                let mut j = start;
                let mut in_str = false;
                loop {
                    let c = *b.get(j)?;
                    if in_str {
                        if c == b'\\' {
                            j += 1;
                        } else if c == b'"' {
                            in_str = false;
                        }
                    } else if c == b'"' {
                        in_str = true;
                    } else if c == b']' {
                        break;
                    }
                    j += 1;
                }
                out.push((Step::Index(s[start..j].to_string()), j + 1));
                i = j + 1;
            }
            _ => {
                let start = i;
                while i < b.len() && b[i] != b'.' && b[i] != b'[' {
                    i += 1;
                }
                out.push((Step::Name(s[start..i].to_string()), i));
            }
        }
    }
    Some(out)
}

pub(crate) fn steps(s: &str) -> Option<Vec<Step>> {
    Some(steps_with_end(s)?.into_iter().map(|(st, _)| st).collect())
}

/// The value of an index key's text: `0` → number, `"blue"` → string. Unparsable text is
/// kept as a string so that comparisons still work on the raw form.
pub(crate) fn key_value(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()))
}

/// The `(call name, instance key)` path of a module instance address; `""` is the root.
pub(crate) fn module_path(module_address: &str) -> Option<Vec<(String, Option<String>)>> {
    let steps = steps(module_address)?;
    let mut out = Vec::new();
    let mut it = steps.into_iter().peekable();
    while let Some(step) = it.next() {
        match step {
            Step::Name(n) if n == "module" => match it.next() {
                Some(Step::Name(call)) => {
                    let key = match it.peek() {
                        Some(Step::Index(_)) => match it.next() {
                            Some(Step::Index(k)) => Some(k),
                            _ => None,
                        },
                        _ => None,
                    };
                    out.push((call, key));
                }
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(out)
}

/// The module instance prefix of a resource instance address (`module.a["x"]` for
/// `module.a["x"].aws_vpc.main`, `""` in the root).
pub(crate) fn module_prefix(resource_address: &str) -> String {
    let Some(steps) = steps_with_end(resource_address) else {
        return String::new();
    };
    let mut end = 0;
    let mut i = 0;
    while i + 1 < steps.len() {
        match (&steps[i].0, &steps[i + 1].0) {
            (Step::Name(m), Step::Name(_)) if m == "module" => {
                i += 2;
                end = steps[i - 1].1;
                if let Some((Step::Index(_), e)) = steps.get(i) {
                    end = *e;
                    i += 1;
                }
            }
            _ => break,
        }
    }
    resource_address[..end].to_string()
}

/// The instances (`module.app["blue"]`, …) in `set` of a module call given its address
/// without instance key (`module.app`, `module.a["x"].module.b`).
pub(crate) fn module_instances_of(set: &BTreeSet<String>, base: &str) -> Vec<String> {
    let depth = module_path(base).map_or(0, |p| p.len());
    set.range(base.to_string()..)
        .take_while(|m| m.starts_with(base))
        .filter(|m| {
            let rest = &m[base.len()..];
            (rest.is_empty() || rest.starts_with('['))
                && module_path(m).is_some_and(|p| p.len() == depth)
        })
        .cloned()
        .collect()
}

/// The address without its final instance key: `aws_x.y` for `aws_x.y["a[b]"]` or
/// `aws_x.y[3]`; `None` when it has no key.
pub(crate) fn strip_instance_key(address: &str) -> Option<&str> {
    let b = address.as_bytes();
    if !address.ends_with(']') {
        return None;
    }
    if address.ends_with("\"]") {
        // A quoted key: find its opening quote, skipping escaped quotes.
        let mut i = b.len() - 2;
        while i > 0 {
            i -= 1;
            if b[i] == b'"' {
                let mut backslashes = 0;
                while i > backslashes && b[i - 1 - backslashes] == b'\\' {
                    backslashes += 1;
                }
                if backslashes % 2 == 0 {
                    return (i > 0 && b[i - 1] == b'[').then(|| &address[..i - 1]);
                }
            }
        }
        return None;
    }
    address.rfind('[').map(|i| &address[..i])
}

/// `prefix.rest`, or `rest` in the root module.
pub(crate) fn join(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else {
        format!("{prefix}.{rest}")
    }
}

/// The module calls of a module instance address, from the root, each with its key's text
/// (`module.a["x"].module.b` → `(a, Some("\"x\""))`, `(b, None)`), read in place: what
/// [`module_path`] gives without its copies, for look-ups done for every
/// resource. An item is `None` where the address stops being a chain of module calls (then
/// `module_path` is `None`).
pub(crate) struct ModuleCalls<'s> {
    text: &'s str,
    rest: &'s str,
    /// Where the last step read ends, and where the step before the last `module` name
    /// ended (what [`super::references::parent_prefix`] cuts at).
    prev_end: usize,
    last_module_start: usize,
}

/// One step of an address: its text, whether it is a `[key]`, and the text after it.
type StepText<'s> = (&'s str, bool, &'s str);

impl<'s> ModuleCalls<'s> {
    pub(crate) fn new(module_address: &'s str) -> Self {
        ModuleCalls {
            text: module_address,
            rest: module_address,
            prev_end: 0,
            last_module_start: 0,
        }
    }

    /// The next step, not yet taken; `Some(None)` when a bracket is not closed.
    fn peek(&self) -> Option<Option<StepText<'s>>> {
        let rest = self.rest.trim_start_matches('.');
        let b = rest.as_bytes();
        if b.is_empty() {
            return None;
        }
        if b[0] != b'[' {
            let end = b
                .iter()
                .position(|&c| c == b'.' || c == b'[')
                .unwrap_or(b.len());
            return Some(Some((&rest[..end], false, &rest[end..])));
        }
        // A key: up to the `]` outside a quoted string (`\` escapes the next byte).
        let mut quoted = false;
        let mut j = 1;
        while let Some(&c) = b.get(j) {
            match c {
                b'\\' if quoted => j += 1,
                b'"' => quoted = !quoted,
                b']' if !quoted => return Some(Some((&rest[1..j], true, &rest[j + 1..]))),
                _ => {}
            }
            j += 1;
        }
        Some(None)
    }

    /// Take a step [`ModuleCalls::peek`] gave.
    fn take(&mut self, (text, key, rest): StepText<'s>) -> (&'s str, bool) {
        if !key && text == "module" {
            self.last_module_start = self.prev_end;
        }
        self.rest = rest;
        self.prev_end = self.text.len() - rest.len();
        (text, key)
    }

    fn step(&mut self) -> Option<Option<(&'s str, bool)>> {
        Some(self.peek()?.map(|s| self.take(s)))
    }

    /// Not a chain of module calls: `None` once, then the end.
    fn stop(&mut self) -> Option<Option<(&'s str, Option<&'s str>)>> {
        self.rest = "";
        Some(None)
    }
}

impl<'s> Iterator for ModuleCalls<'s> {
    type Item = Option<(&'s str, Option<&'s str>)>;

    fn next(&mut self) -> Option<Self::Item> {
        let call = match (self.step()?, self.step()) {
            (Some(("module", false)), Some(Some((call, false)))) => call,
            _ => return self.stop(),
        };
        // An optional key after the call.
        let key = match self.peek() {
            Some(Some(s @ (_, true, _))) => Some(self.take(s).0),
            Some(None) => return self.stop(),
            _ => None,
        };
        Some(Some((call, key)))
    }
}

/// The last call of a module instance address, read in place: `(call, key text, the
/// address of the module instance holding the call)`, as [`module_path`]'s last
/// item and [`super::references::parent_prefix`] give them. `Some(None)` in the root module,
/// `None` for an address that is not a chain of module calls.
pub(crate) fn last_module_call(module: &str) -> Option<Option<(&str, Option<&str>, &str)>> {
    let mut calls = ModuleCalls::new(module);
    let mut last = None;
    for call in calls.by_ref() {
        last = Some(call?);
    }
    let parent = module[..calls.last_module_start].trim_end_matches('.');
    Some(last.map(|(call, key)| (call, key, parent)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_keep_quoted_dots_and_brackets() {
        let s = steps(r#"module.app["a.b]"].aws_x.y[0].id"#).unwrap();
        assert_eq!(
            s,
            vec![
                Step::Name("module".into()),
                Step::Name("app".into()),
                Step::Index(r#""a.b]""#.into()),
                Step::Name("aws_x".into()),
                Step::Name("y".into()),
                Step::Index("0".into()),
                Step::Name("id".into()),
            ]
        );
        assert!(steps(r#"aws_x.y["open"#).is_none());
    }

    #[test]
    fn module_prefix_and_path() {
        assert_eq!(
            module_prefix(r#"module.a["x"].module.b.aws_vpc.main"#),
            r#"module.a["x"].module.b"#
        );
        assert_eq!(module_prefix("aws_vpc.main"), "");
        assert_eq!(module_prefix("data.aws_vpc.main"), "");
        assert_eq!(
            module_prefix("module.a[0].data.aws_vpc.main[1]"),
            "module.a[0]"
        );
        assert_eq!(
            module_path(r#"module.a["x"].module.b"#).unwrap(),
            vec![
                ("a".to_string(), Some(r#""x""#.to_string())),
                ("b".to_string(), None)
            ]
        );
        assert_eq!(module_path("").unwrap(), vec![]);
        assert!(module_path("aws_vpc.main").is_none());
        assert_eq!(key_value(r#""blue""#), Value::String("blue".into()));
        assert_eq!(
            strip_instance_key(r#"module.m["k"].aws_x.y["a[\"b"]"#),
            Some(r#"module.m["k"].aws_x.y"#)
        );
        assert_eq!(strip_instance_key("aws_x.y[12]"), Some("aws_x.y"));
        assert_eq!(strip_instance_key(r#"module.m["k"].aws_x.y"#), None);
        assert_eq!(key_value("2"), serde_json::json!(2));
    }
}
