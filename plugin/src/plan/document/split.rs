//! Reading a large plan on two cores.
//!
//! Nearly all of a plan is three sections: `planned_values`, `resource_changes` and
//! `prior_state`, each listing every resource. They are independent, so they can be read
//! at the same time: `resource_changes` by a second thread, the rest by the calling one.
//! The catch is finding where `resource_changes` starts without first reading what comes
//! before it. So its start is *guessed*: the first `"resource_changes":` in the text (found
//! with a fast substring search) is assumed to be the top-level key, and the second thread
//! reads the section from there. Meanwhile this thread walks the top level itself, reading
//! every other value, and when it reaches the real `resource_changes` key it checks the
//! guess: same offset, the second thread's result is used (and the walk goes on from where
//! that section ends, without reading it again); another offset (the text appeared earlier,
//! as an attribute name, say), the section is read here like any other. `prior_state` is
//! guessed the same way and read by this thread first, which balances the two threads.
//!
//! Each section is read into its own [`Collected`] with the same seeds as the sequential
//! reader and merged in document order, so the result is the same. Anything unusual makes
//! [`collect`] give up (`None`) and the caller reads the whole document sequentially:
//! every error (so messages and their line/column stay those of the sequential reader),
//! a section given twice, or modules nested deeper than [`MAX_MODULE_DEPTH`] (a section
//! read alone starts one nesting level higher than in the whole document, so serde_json's
//! recursion limit would trip one level later there; no real plan comes near it).

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{ChangesSeed, Collected, OrNull, PriorSeed, TopKey, ValuesSeed};

/// Documents smaller than this are read sequentially: a thread is not worth starting.
pub(super) const MIN_LEN: usize = 16 << 20;

/// Deeper module nesting is left to the sequential reader (see the module docs).
pub(super) const MAX_MODULE_DEPTH: u32 = 32;

/// Stack of the second thread: as deep as the main thread's, whatever recursion the
/// seeds need below serde_json's limit.
pub(super) const STACK: usize = 8 << 20;

// Which section a [`Part`] reads.
const PLANNED: u8 = 0;
const CHANGES: u8 = 1;
const DEFERRED: u8 = 2;
const PRIOR: u8 = 3;

/// One top-level section read on its own, into a fresh [`Collected`].
struct Part<'a, const KIND: u8>(Collected<'a>);

impl<'de, const KIND: u8> Deserialize<'de> for Part<'de, KIND> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut c = Collected::default();
        match KIND {
            PLANNED => OrNull(ValuesSeed {
                c: &mut c,
                prior: false,
            })
            .deserialize(d)?,
            CHANGES | DEFERRED => OrNull(ChangesSeed {
                c: &mut c,
                deferred: KIND == DEFERRED,
            })
            .deserialize(d)?,
            _ => OrNull(PriorSeed { c: &mut c }).deserialize(d)?,
        }
        Ok(Part(c))
    }
}

/// Read one JSON value starting at `pos`: the value and the offset just past it.
fn value_at<'a, T: Deserialize<'a>>(text: &'a str, pos: usize) -> Option<(T, usize)> {
    let mut values = serde_json::Deserializer::from_str(text.get(pos..)?).into_iter::<T>();
    let value = values.next()?.ok()?;
    Some((value, pos + values.byte_offset()))
}

pub(super) fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while matches!(b.get(pos), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        pos += 1;
    }
    pos
}

/// Where the value after the first occurrence of `"key":` from offset `from` starts (a
/// guess, see above).
pub(super) fn guess(b: &[u8], quoted_key: &[u8], from: usize) -> Option<usize> {
    // The first occurrence used as a key (a string value of that text is skipped).
    memchr::memmem::find_iter(b.get(from..)?, quoted_key).find_map(|at| {
        let colon = skip_ws(b, from + at + quoted_key.len());
        (b.get(colon) == Some(&b':')).then(|| skip_ws(b, colon + 1))
    })
}

/// A section guessed to start at `at`, read (or being read) ahead of the walk.
struct Ahead<'a, const KIND: u8> {
    at: usize,
    result: Option<(Part<'a, KIND>, usize)>,
}

/// Collect the whole document as the sequential reader would, on two threads; `None` when
/// it must be read sequentially instead.
pub(super) fn collect(text: &str) -> Option<Collected<'_>> {
    let b = text.as_bytes();
    let token = crate::cancel::current();
    std::thread::scope(|s| {
        // The second thread finds `resource_changes` itself, so this one starts at once.
        let mut changes: Pending<'_, '_> = std::thread::Builder::new()
            .name("ecsnet-plan".to_string())
            .stack_size(STACK)
            .spawn_scoped(s, move || {
                token.enter(|| {
                    let at = guess(b, b"\"resource_changes\"", 0)?;
                    Some((at, value_at::<Part<CHANGES>>(text, at)))
                })
            })
            .ok();
        // Terraform writes `prior_state` after `resource_changes`, in the second half.
        let prior = guess(b, b"\"prior_state\"", b.len() / 2)
            .or_else(|| guess(b, b"\"prior_state\"", 0))
            .map(|at| Ahead::<PRIOR> {
                at,
                result: value_at(text, at),
            });
        let c = walk(text, &mut changes, prior);
        // Not reached by the walk (a wrong guess, or the walk gave up): still wait for it.
        if let Some(handle) = changes {
            let _ = handle.join();
        }
        c.filter(|c| c.deepest_module <= MAX_MODULE_DEPTH)
    })
}

/// The second thread: where it guessed `resource_changes` starts, and what it read there.
type Pending<'s, 'a> =
    Option<std::thread::ScopedJoinHandle<'s, Option<(usize, Option<(Part<'a, CHANGES>, usize)>)>>>;

/// The top-level object, key by key, as `TopSeed` reads it.
fn walk<'a>(
    text: &'a str,
    changes: &mut Pending<'_, 'a>,
    mut prior: Option<Ahead<'a, PRIOR>>,
) -> Option<Collected<'a>> {
    let b = text.as_bytes();
    let mut c = Collected::default();
    let mut pos = skip_ws(b, 0);
    if b.get(pos) != Some(&b'{') {
        return None;
    }
    pos = skip_ws(b, pos + 1);
    let mut seen_sections = 0u16;
    let mut more = b.get(pos) != Some(&b'}');
    if !more {
        pos += 1;
    }
    while more {
        let (key, end) = value_at::<TopKey>(text, pos)?;
        pos = skip_ws(b, end);
        if b.get(pos) != Some(&b':') {
            return None;
        }
        pos = skip_ws(b, pos + 1);
        c.keys.any = true;
        let bit = match key {
            TopKey::PlannedValues => 1,
            TopKey::ResourceChanges => 2,
            TopKey::PriorState => 4,
            TopKey::DeferredChanges => 8,
            TopKey::Configuration => 16,
            TopKey::Variables => 32,
            _ => 0,
        };
        if seen_sections & bit != 0 {
            return None;
        }
        seen_sections |= bit;
        pos = match key {
            TopKey::FormatVersion => {
                c.keys.format_version = true;
                let (raw, end) = value_at::<&RawValue>(text, pos)?;
                c.format_version = Some(raw.get());
                end
            }
            TopKey::TerraformVersion => {
                let (raw, end) = value_at::<&RawValue>(text, pos)?;
                c.terraform_version = Some(raw.get());
                end
            }
            TopKey::Errored => {
                let (raw, end) = value_at::<&RawValue>(text, pos)?;
                c.errored = raw.get().trim() == "true";
                end
            }
            TopKey::Variables => {
                c.keys.variables = true;
                let (raw, end) = value_at::<&RawValue>(text, pos)?;
                c.variables = Some(raw.get());
                end
            }
            TopKey::Configuration => {
                c.keys.configuration = true;
                let (raw, end) = value_at::<&RawValue>(text, pos)?;
                c.configuration = Some(raw.get());
                end
            }
            TopKey::PlannedValues => {
                c.keys.planned_values = true;
                let (Part(part), end) = value_at::<Part<PLANNED>>(text, pos)?;
                merge(&mut c, part);
                end
            }
            TopKey::ResourceChanges => {
                c.keys.resource_changes = true;
                // The second thread's reading, if it guessed this very offset.
                let read_ahead = match changes.take().map(|h| h.join()) {
                    Some(Ok(Some((at, result)))) if at == pos => Some(result),
                    _ => None,
                };
                let (Part(part), end) = match read_ahead {
                    Some(result) => result?,
                    None => value_at::<Part<CHANGES>>(text, pos)?,
                };
                merge(&mut c, part);
                end
            }
            TopKey::DeferredChanges => {
                let (Part(part), end) = value_at::<Part<DEFERRED>>(text, pos)?;
                merge(&mut c, part);
                end
            }
            TopKey::PriorState => {
                c.keys.prior_state = true;
                let (Part(part), end) = match prior.take() {
                    Some(Ahead { at, result }) if at == pos => result?,
                    _ => value_at::<Part<PRIOR>>(text, pos)?,
                };
                merge(&mut c, part);
                end
            }
            other => {
                match other {
                    TopKey::OutputChanges => c.keys.output_changes = true,
                    TopKey::Values => c.keys.values = true,
                    TopKey::ProviderSchemas => c.keys.provider_schemas = true,
                    TopKey::PlanFormatVersion => c.keys.plan_format_version = true,
                    TopKey::Lineage | TopKey::Serial => c.keys.raw_state = true,
                    TopKey::Valid => c.keys.validate_output = true,
                    _ => {}
                }
                value_at::<IgnoredAny>(text, pos)?.1
            }
        };
        pos = skip_ws(b, pos);
        match b.get(pos)? {
            b',' => pos = skip_ws(b, pos + 1),
            b'}' => {
                pos += 1;
                more = false;
            }
            _ => return None,
        }
    }
    // Only whitespace may follow the document.
    (skip_ws(b, pos) == b.len()).then_some(c)
}

/// Add what one section collected, as if it had been read into `into` directly: address
/// flags are or-ed, lists appended (sections are merged in document order), sets united.
pub(super) fn merge<'a>(into: &mut Collected<'a>, part: Collected<'a>) {
    if into.flagged.is_empty() {
        into.flagged = part.flagged;
    } else {
        into.flagged.extend(part.flagged);
    }
    into.flagged_planned += part.flagged_planned;
    into.flagged_changes += part.flagged_changes;
    into.prior_data.extend(part.prior_data);
    into.entries.extend(part.entries);
    into.module_instances.extend(part.module_instances);
    if into.keyed_bases.is_empty() {
        into.keyed_bases = part.keyed_bases;
        into.keyed_keys = part.keyed_keys;
    } else {
        let mut keys = part.keyed_keys;
        for (base, at) in part.keyed_bases {
            let into_at = into.keyed_at(&base);
            into.keyed_keys[into_at].extend(std::mem::take(&mut keys[at]));
        }
    }
    into.last_keyed = None;
    into.has_sensitivity |= part.has_sensitivity;
    into.keys.planned_object |= part.keys.planned_object;
    into.keys.changes_list |= part.keys.changes_list;
    into.deepest_module = into.deepest_module.max(part.deepest_module);
    into.newline_seen |= part.newline_seen;
}

/// A plan whose modules are nested `depth` deep below the root module (tests).
#[cfg(test)]
pub(super) fn modules_nested(depth: u32) -> String {
    let mut module = r#"{"resources":[]}"#.to_string();
    for _ in 0..depth {
        module = format!(r#"{{"child_modules":[{module}]}}"#);
    }
    format!(
        r#"{{"format_version":"1.2","planned_values":{{"root_module":{module}}},"resource_changes":[]}}"#
    )
}

#[cfg(test)]
mod tests {
    use super::super::parse_splitting_from;
    use super::*;
    use crate::plan::Plan;

    /// The plan read on two threads, and sequentially: they must not differ.
    fn both_ways(text: &str) -> (Result<Plan, String>, Result<Plan, String>) {
        let read = |split_min| parse_splitting_from(text.as_bytes(), "p.json", split_min);
        let msg = |e: crate::error::UserError| e.message;
        (read(0).map_err(msg), read(usize::MAX).map_err(msg))
    }

    fn assert_same(text: &str, what: &str) {
        match both_ways(text) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.resources, b.resources, "{what}: resources");
                assert_eq!(a.resource_count, b.resource_count, "{what}: count");
                assert_eq!(a.module_instances, b.module_instances, "{what}: modules");
                assert_eq!(a.keyed_bases, b.keyed_bases, "{what}: keyed");
                assert_eq!(a.variables, b.variables, "{what}: variables");
                assert_eq!(a.format_version, b.format_version, "{what}");
                assert_eq!(a.terraform_version, b.terraform_version, "{what}");
                assert_eq!(a.errored, b.errored, "{what}: errored");
                assert_eq!(a.has_sensitivity_info, b.has_sensitivity_info, "{what}");
                assert_eq!(
                    format!("{:?}", a.config),
                    format!("{:?}", b.config),
                    "{what}: configuration"
                );
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{what}: error"),
            (a, b) => panic!("{what}: {:?} vs {:?}", a.err(), b.err()),
        }
    }

    fn json_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                json_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().ends_with(".spec.json")
            {
                out.push(p);
            }
        }
    }

    #[test]
    fn every_fixture_reads_the_same_on_two_threads() {
        let mut files = Vec::new();
        json_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata"),
            &mut files,
        );
        let mut split = 0;
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue; // UTF-16 fixtures: not for this reader
            };
            assert_same(&text, &f.display().to_string());
            split += usize::from(collect(&text).is_some());
        }
        // Not everything falls back to the sequential reader.
        assert!(
            split * 2 > files.len(),
            "{split} of {} read on two threads",
            files.len()
        );
    }

    #[test]
    fn real_plans_read_the_same_on_two_threads() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/realplans");
        if !dir.is_dir() {
            skip_note!("{} is absent", dir.display());
            return;
        }
        let mut files = Vec::new();
        json_files(&dir, &mut files);
        for f in &files {
            if let Ok(text) = std::fs::read_to_string(f) {
                assert_same(
                    text.trim_start_matches('\u{feff}'),
                    &f.display().to_string(),
                );
            }
        }
    }

    #[test]
    fn wrong_guesses_and_odd_layouts_read_the_same() {
        let rc = r#"[{"address":"aws_ecs_cluster.c","mode":"managed","type":"aws_ecs_cluster","name":"c","change":{"actions":["create"],"after":{"name":"x"},"after_unknown":{},"after_sensitive":{}}}]"#;
        let pv = r#"{"root_module":{"resources":[{"address":"aws_ecs_cluster.c","mode":"managed","type":"aws_ecs_cluster","name":"c","values":{"name":"x","resource_changes":1}}]}}"#;
        let ps = r#"{"values":{"root_module":{"resources":[{"address":"data.aws_vpc.v","mode":"data","type":"aws_vpc","name":"v","values":{"id":"vpc-1"}}]}}}"#;
        let docs = [
            // The usual order, compact.
            format!(r#"{{"format_version":"1.2","planned_values":{pv},"resource_changes":{rc},"prior_state":{ps}}}"#),
            // "resource_changes" first seen as an attribute name (a wrong guess), and as a
            // string value; keys sorted as `jq -S` writes them; spaces around colons.
            format!(r#"{{ "format_version" : "1.2", "planned_values" : {pv}, "prior_state" : {ps}, "resource_changes" : {rc}, "x": "resource_changes" }}"#),
            // A section given twice, trailing garbage, a truncated document, null sections.
            format!(r#"{{"format_version":"1.2","resource_changes":{rc},"resource_changes":{rc}}}"#),
            format!(r#"{{"format_version":"1.2","resource_changes":{rc}}} x"#),
            format!(r#"{{"format_version":"1.2","resource_changes":{rc}"#),
            r#"{"format_version":"1.2","planned_values":null,"resource_changes":null,"prior_state":null}"#.to_string(),
            r#"{"format_version":"1.2","resource_changes":[{"address":1}]}"#.to_string(),
            "{}".to_string(),
        ];
        for (i, d) in docs.iter().enumerate() {
            assert_same(d, &format!("document {i}"));
        }
        assert!(collect(&docs[0]).is_some() && collect(&docs[1]).is_some());
        assert!(
            collect(&docs[2]).is_none(),
            "a section given twice is left to the sequential reader"
        );
    }

    #[test]
    fn deep_module_nesting_is_left_to_the_sequential_reader() {
        let doc = modules_nested(MAX_MODULE_DEPTH + 1);
        assert!(collect(&doc).is_none());
        assert_same(&doc, "deep");
    }
}
