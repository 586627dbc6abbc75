//! One finding per problem, and a stable identity for each: a layer over what the rules
//! report, applied when a [`crate::engine::Report`] is assembled, so every format and the
//! plugin see the same findings.
//!
//! - **Shared problems**: findings a rule marks with a [`Diagnostic::group`] (the cluster,
//!   capacity provider or subnet they share) that agree in rule, group, discriminator,
//!   severity, attribute and message are one problem reported from several resources; they
//!   become one finding on the first address, the others listed in [`Diagnostic::also`].
//! - **Repeated notes**: several `info` findings of one rule on one resource become one,
//!   the later messages listed in its detail.
//! - **Fingerprints**: a hash of the rule, the addresses concerned and the discriminator
//!   (the attribute when the rule gives none); with several plans in one run, also the
//!   plan's path as given, so the same addresses in two plans differ.
//!
//! Both passes are linear in the number of findings (one hash map each).

use std::collections::HashMap;
use std::hash::BuildHasher;

use sha2::{Digest, Sha256};

use crate::diagnostics::{Diagnostic, Severity};
use crate::plan::SeededHash;

/// Version of the fingerprint recipe; the SARIF `partialFingerprints` key carries it.
pub const FINGERPRINT_KEY: &str = "ecsnet/v2";

/// Sort `diagnostics` by [`Diagnostic::sort_key`] (stably: findings with equal keys keep
/// their order) and drop exact repeats (two rule paths reaching the same finding must not
/// print it twice). The positions are sorted, then the findings put in place in one pass:
/// sorting the findings themselves moved each several times, through a scratch copy.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by(|&a, &b| diagnostics[a].sort_key().cmp(&diagnostics[b].sort_key()));
    // Position k takes the finding at order[k]: each cycle of the permutation is walked
    // once, one swap per finding.
    let mut done = vec![false; order.len()];
    for start in 0..order.len() {
        let mut at = start;
        while !done[at] {
            done[at] = true;
            let from = order[at];
            if from == start {
                break;
            }
            diagnostics.swap(at, from);
            at = from;
        }
    }
    diagnostics.dedup();
}

/// Merge shared problems and repeated notes. `diagnostics` is sorted (see
/// [`Diagnostic::sort_key`]); the order of what remains is kept.
pub fn merge(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // First which finding each joins (keys borrowed from the findings, nothing copied),
    // then the findings moved into place.
    let mut joins: Vec<Option<usize>> = Vec::with_capacity(diagnostics.len());
    {
        let n = diagnostics.len();
        let mut shared: HashMap<SharedKey<'_>, usize, WideHash> =
            HashMap::with_capacity_and_hasher(n, WideHash::default());
        let mut notes: HashMap<NoteKey<'_>, usize, WideHash> =
            HashMap::with_capacity_and_hasher(n, WideHash::default());
        for (i, d) in diagnostics.iter().enumerate() {
            let first = if d.group.is_some() {
                Some(*shared.entry(SharedKey::of(d)).or_insert(i))
            } else if d.severity == Severity::Info {
                Some(*notes.entry(NoteKey::of(d)).or_insert(i))
            } else {
                None
            };
            joins.push(first.filter(|&f| f != i));
        }
    }
    // Compacted in place (a new vector of findings was most of this pass: the copies and
    // the fresh memory's page faults): the kept ones move left over the joined ones, each
    // joined one into the finding it joins, which lies before it.
    let mut out = diagnostics;
    let mut place: Vec<usize> = vec![0; out.len()];
    let mut kept = 0;
    for (at, join) in joins.into_iter().enumerate() {
        match join {
            None => {
                if kept != at {
                    out.swap(kept, at);
                }
                place[at] = kept;
                kept += 1;
            }
            Some(f) => {
                let d = std::mem::take(&mut out[at]);
                if d.group.is_some() {
                    join_shared(&mut out[place[f]], d);
                } else {
                    join_note(&mut out[place[f]], d);
                }
            }
        }
    }
    out.truncate(kept);
    for d in &mut out {
        d.also.sort();
        d.also.dedup();
        let (address, also) = (&d.address, &d.also);
        d.related.retain(|r| r != address && !also.contains(r));
    }
    out
}

/// A seeded hash for keys holding long text (messages, addresses): four
/// independent multiply chains over 32 bytes at a time, where [`SeededHash`] runs one
/// chain over 8 (the messages made the map the slowest part of [`merge`]).
#[derive(Clone, Copy, Default)]
struct WideHash(SeededHash);

impl std::hash::BuildHasher for WideHash {
    type Hasher = WideHasher;
    fn build_hasher(&self) -> WideHasher {
        // The lanes start from the seed; `finish` mixes the state through the seeded hash.
        WideHasher(self.0.hash_one(0x3e_u64) | 1, self.0)
    }
}

struct WideHasher(u64, SeededHash);

impl std::hash::Hasher for WideHasher {
    fn write(&mut self, bytes: &[u8]) {
        const MIX: u64 = 0x9E37_79B9_7F4A_7C15;
        let word = |c: &[u8]| {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            u64::from_le_bytes(w)
        };
        let mut lanes = [
            self.0,
            self.0.rotate_left(16),
            self.0.rotate_left(32),
            self.0.rotate_left(48),
        ];
        let mut blocks = bytes.chunks_exact(32);
        for b in &mut blocks {
            for (lane, c) in lanes.iter_mut().zip(b.chunks_exact(8)) {
                let h = (*lane ^ word(c)).wrapping_mul(MIX);
                *lane = h ^ (h >> 32);
            }
        }
        let mut h = lanes[0];
        for (i, lane) in lanes.iter().enumerate().skip(1) {
            h = (h ^ lane.rotate_left(i as u32 * 8)).wrapping_mul(MIX);
        }
        for c in blocks.remainder().chunks(8) {
            h = (h ^ word(c)).wrapping_mul(MIX);
            h ^= h >> 32;
        }
        h = (h ^ ((bytes.len() as u64) << 56)).wrapping_mul(MIX);
        self.0 = h ^ (h >> 29);
    }
    fn finish(&self) -> u64 {
        self.1.hash_one(self.0)
    }
}

/// What makes grouped findings one problem.
#[derive(PartialEq, Eq, Hash)]
struct SharedKey<'d> {
    plan: usize,
    rule: &'d str,
    group: Option<&'d str>,
    discriminator: Option<&'d str>,
    severity: Severity,
    unverifiable: bool,
    suppressed: Option<&'d str>,
    attribute: Option<&'d str>,
    message: &'d str,
}

impl<'d> SharedKey<'d> {
    fn of(d: &'d Diagnostic) -> Self {
        SharedKey {
            plan: d.plan,
            rule: d.rule.as_str(),
            group: d.group.as_deref(),
            discriminator: d.discriminator.as_deref(),
            severity: d.severity,
            unverifiable: d.unverifiable,
            suppressed: d.suppressed.as_deref(),
            attribute: d.attribute.as_deref(),
            message: &d.message,
        }
    }
}

fn join_shared(first: &mut Diagnostic, d: Diagnostic) {
    if d.address != first.address {
        first.also.push(d.address);
    }
    first.also.extend(d.also);
    for r in d.related {
        if !first.related.contains(&r) {
            first.related.push(r);
        }
    }
}

/// Notes of one rule on one resource.
#[derive(PartialEq, Eq, Hash)]
struct NoteKey<'d> {
    plan: usize,
    rule: &'d str,
    address: &'d str,
    unverifiable: bool,
    suppressed: Option<&'d str>,
}

impl<'d> NoteKey<'d> {
    fn of(d: &'d Diagnostic) -> Self {
        NoteKey {
            plan: d.plan,
            rule: d.rule.as_str(),
            address: &d.address,
            unverifiable: d.unverifiable,
            suppressed: d.suppressed.as_deref(),
        }
    }
}

/// The first note keeps its words; each later one becomes a line of its detail, and its
/// help is kept when it says something new. The attribute goes when the notes disagree.
fn join_note(first: &mut Diagnostic, d: Diagnostic) {
    let detail = first.detail.get_or_insert_with(String::new);
    if !detail.is_empty() {
        detail.push('\n');
    }
    detail.push_str("also: ");
    detail.push_str(&d.message);
    if let Some(a) = &d.attribute {
        detail.push_str(&format!(" ({a})"));
    }
    if first.attribute != d.attribute {
        first.attribute = None;
    }
    if let Some(h) = d.help {
        match &mut first.help {
            Some(fh) if fh.contains(h.as_str()) => {}
            Some(fh) => {
                fh.push(' ');
                fh.push_str(&h);
            }
            None => first.help = Some(h),
        }
    }
    for r in d.related {
        if !first.related.contains(&r) {
            first.related.push(r);
        }
    }
    if first.discriminator.is_none() {
        first.discriminator = Some("notes".to_string());
    }
}

/// Fill every finding's fingerprint. `plan_keys[i]` names plan `i` in the hash: empty for a
/// run of one plan (so it does not matter where the file lies, or whether it came on stdin).
/// Should two findings still hash alike (a rule that gave no discriminator for two distinct
/// problems), the later ones get an ordinal, so fingerprints are unique within a report.
pub fn fingerprint(diagnostics: &mut [Diagnostic], plan_keys: &[String]) {
    let mut seen: HashMap<[u8; 16], usize, SeededHash> =
        HashMap::with_capacity_and_hasher(diagnostics.len(), SeededHash::default());
    for d in diagnostics.iter_mut() {
        let plan = plan_keys.get(d.plan).map(String::as_str).unwrap_or("");
        let base = digest(d, plan, 0);
        let n = seen.entry(base).or_insert(0);
        *n += 1;
        d.fingerprint = hex(&if *n == 1 { base } else { digest(d, plan, *n) });
    }
}

/// The first 16 bytes of the SHA-256 of the finding's identity.
fn digest(d: &Diagnostic, plan: &str, ordinal: usize) -> [u8; 16] {
    // The fields gathered first and hashed at once (cheaper than many small updates).
    let mut text: Vec<u8> = Vec::with_capacity(256);
    let mut field = |s: &str| {
        // Length-prefixed, so no two field lists hash the same text.
        text.extend_from_slice(&(s.len() as u64).to_le_bytes());
        text.extend_from_slice(s.as_bytes());
    };
    field(FINGERPRINT_KEY);
    field(plan);
    field(&d.rule);
    field(d.group.as_deref().unwrap_or(""));
    field(&d.address);
    for a in &d.also {
        field(a);
    }
    field("|");
    field(d.discriminator.as_deref().unwrap_or(""));
    field(d.attribute.as_deref().unwrap_or(""));
    if ordinal > 0 {
        field(&ordinal.to_string());
    }
    let bytes = Sha256::digest(&text);
    let mut first = [0u8; 16];
    first.copy_from_slice(&bytes[..16]);
    first
}

/// Lower-case hexadecimal.
fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(2 * bytes.len());
    for b in bytes {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    hex
}

/// How a plan is named in fingerprints when a run has several: its path as given, with `/`
/// separators, without a leading `./`, relative to the working directory when it lies
/// under it.
pub fn plan_keys(paths: &[&str]) -> Vec<String> {
    if paths.len() < 2 {
        return vec![String::new(); paths.len()];
    }
    let cwd = std::env::current_dir().ok();
    paths
        .iter()
        .map(|p| {
            let path = std::path::Path::new(p);
            let rel = cwd
                .as_deref()
                .and_then(|c| path.strip_prefix(c).ok())
                .unwrap_or(path);
            let s = rel.to_string_lossy().replace('\\', "/");
            s.strip_prefix("./").unwrap_or(&s).to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::diag;

    fn on_cluster(address: &str, message: &str) -> Diagnostic {
        let mut d = diag("NET073", Severity::Error, address, message);
        d.group = Some("aws_ecs_cluster.shop".into());
        d.discriminator = Some("8080/tcp".into());
        d.attribute = Some("desired_count".into());
        d.related = vec!["aws_autoscaling_group.ecs".into()];
        d
    }

    /// The sort by positions gives what a stable sort of the findings gives, repeats
    /// dropped, whatever the order of the input.
    #[test]
    fn sort_and_dedup_is_a_stable_sort_then_dedup() {
        let mut next = crate::diagnostics::test_numbers(0x2545_f491_4f6c_dd1du64);
        for len in 0..60 {
            let ds: Vec<Diagnostic> = (0..len)
                .map(|_| {
                    let mut d = diag(
                        ["NET010", "NET045", "NET072"][next(3) as usize],
                        Severity::Info,
                        &format!("aws_ecs_service.s{}", next(4)),
                        &format!("message {}", next(3)),
                    );
                    // Equal keys, told apart by what is not in the key: the order decides.
                    d.detail = Some(format!("detail {}", next(3)));
                    d.plan = next(2) as usize;
                    d
                })
                .collect();
            let mut want = ds.clone();
            want.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            want.dedup();
            let mut got = ds;
            sort_and_dedup(&mut got);
            assert!(got == want, "{len} findings");
        }
    }

    #[test]
    fn a_shared_problem_is_one_finding_listing_every_resource() {
        let msg = "6 tasks need host port 8080/tcp but aws_ecs_cluster.shop has only 3 instances";
        let other = "a deployment needs 4 tasks on host port 8080/tcp at its peak";
        let ds = vec![
            on_cluster("aws_ecs_service.a", msg),
            on_cluster("aws_ecs_service.b", msg),
            on_cluster("aws_ecs_service.b", other),
            on_cluster("aws_ecs_service.c", msg),
        ];
        let out = merge(ds);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].address, "aws_ecs_service.a");
        assert_eq!(out[0].also, ["aws_ecs_service.b", "aws_ecs_service.c"]);
        assert_eq!(out[0].related, ["aws_autoscaling_group.ecs"]);
        assert_eq!(out[1].message, other);
        assert!(out[1].also.is_empty());
    }

    #[test]
    fn ungrouped_errors_stay_apart_and_notes_of_one_resource_join() {
        let a = diag("NET040", Severity::Error, "aws_ecs_service.a", "same words");
        let b = diag("NET040", Severity::Error, "aws_ecs_service.b", "same words");
        let mut n1 = diag(
            "NET072",
            Severity::Info,
            "aws_ecs_service.a",
            "subnet x unknown",
        );
        n1.unverifiable = true;
        n1.help = Some("assume subnet x".into());
        let mut n2 = n1.clone();
        n2.message = "subnet y unknown".into();
        n2.help = Some("assume subnet y".into());
        let out = merge(vec![a, n1, n2, b]);
        assert_eq!(out.len(), 3, "{out:#?}");
        let note = &out[1];
        assert_eq!(note.message, "subnet x unknown");
        assert_eq!(note.detail.as_deref(), Some("also: subnet y unknown"));
        assert_eq!(
            note.help.as_deref(),
            Some("assume subnet x assume subnet y")
        );
    }

    #[test]
    fn fingerprints_ignore_wording_and_path_but_not_discriminators() {
        let mut a = on_cluster("aws_ecs_service.a", "one wording");
        let mut b = on_cluster("aws_ecs_service.a", "another wording");
        fingerprint(std::slice::from_mut(&mut a), &[String::new()]);
        fingerprint(std::slice::from_mut(&mut b), &[String::new()]);
        assert_eq!(a.fingerprint, b.fingerprint);
        assert_eq!(a.fingerprint.len(), 32);
        let mut c = on_cluster("aws_ecs_service.a", "one wording");
        c.discriminator = Some("9090/tcp".into());
        fingerprint(std::slice::from_mut(&mut c), &[String::new()]);
        assert_ne!(a.fingerprint, c.fingerprint);
        // Two plans with the same addresses: the plan key tells them apart.
        let mut two = vec![a.clone(), a.clone()];
        two[1].plan = 1;
        fingerprint(
            &mut two,
            &plan_keys(&["staging/plan.json", "prod/plan.json"]),
        );
        assert_ne!(two[0].fingerprint, two[1].fingerprint);
        // The same finding twice in one plan still gets two fingerprints.
        let mut same = vec![a.clone(), a];
        fingerprint(&mut same, &[String::new()]);
        assert_ne!(same[0].fingerprint, same[1].fingerprint);
    }

    #[test]
    fn plan_keys_are_empty_for_one_plan_and_normalized_for_several() {
        assert_eq!(plan_keys(&["/abs/plan.json"]), [""]);
        assert_eq!(
            plan_keys(&["./a/plan.json", "b\\plan.json"]),
            ["a/plan.json", "b/plan.json"]
        );
    }
}
